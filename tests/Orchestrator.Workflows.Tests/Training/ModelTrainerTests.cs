using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Training;

/// <summary>Real ML.NET training on vega-datasets' seattle-weather.csv.</summary>
public sealed class ModelTrainerTests
{
    private static readonly string[] Classes = ["drizzle", "fog", "rain", "snow", "sun"];

    private static (FeatureFrame Frame, string Csv) Prepare(ProjectDefinition project)
    {
        using var file = File.OpenRead(TestData.VegaDataset("seattle-weather.csv"));
        var curated = DatasetCurator.Curate(TabularReader.ReadCsv(file), project.Label);
        var frame = FeatureFrame.Create(curated.Schema, project);
        var csv = frame.ToCsv(curated.Curated, withLabel: true);
        return (frame, csv);
    }

    private static ProjectDefinition Weather => new() { Name = "seattle-weather", Task = MlTask.Multiclass, Label = "weather", PrimaryMetric = "microAccuracy" };

    [Fact]
    public void Train_LightGbmOnSeattleWeather_ReachesUsefulAccuracyAndPredictsRawRows()
    {
        var (frame, csv) = Prepare(Weather);
        var trained = ModelTrainer.Train(frame, csv, SearchSpace.Default(MlTask.Multiclass)[0], 0.2, 1);

        Assert.InRange(trained.Metrics["microAccuracy"], 0.75, 1.0);
        Assert.InRange(trained.Metrics["macroAccuracy"], 0.3, 1.0);

        // The saved model (transforms + loader) scores raw rows after a JSON round trip of the frame, as serving does.
        var loaded = new LoadedModel(trained.ModelZip, Json.Deserialize<FeatureFrame>(Json.Serialize(frame)));
        var predictions = loaded.Predict([
            new Dictionary<string, string?> { ["date"] = "2015-07-01", ["precipitation"] = "0", ["temp_max"] = "27.2", ["temp_min"] = "14.4", ["wind"] = "2.9" },
            new Dictionary<string, string?> { ["date"] = "2015-11-17", ["precipitation"] = "20.3", ["temp_max"] = "11.1", ["temp_min"] = "6.1", ["wind"] = "6.6" },
        ]);
        Assert.Equal(2, predictions.Count);
        Assert.All(predictions, p => Assert.Contains((string)p.Value!, Classes));
        Assert.Equal("rain", predictions[1].Value);
        Assert.Equal(Classes, predictions[0].Scores!.Keys.Order());
    }

    [Fact]
    public void Train_SameSeed_SameMetrics()
    {
        var (frame, csv) = Prepare(Weather);
        var candidate = SearchSpace.Default(MlTask.Multiclass)[3];
        Assert.Equal(ModelTrainer.Train(frame, csv, candidate, 0.2, 7).Metrics, ModelTrainer.Train(frame, csv, candidate, 0.2, 7).Metrics);
    }

    [Fact]
    public void Train_RegressionOnTemperature_ReportsErrors()
    {
        var (frame, csv) = Prepare(Weather with { Task = MlTask.Regression, Label = "temp_max", PrimaryMetric = "rmse", Features = ["date", "temp_min", "precipitation"] });
        var trained = ModelTrainer.Train(frame, csv, SearchSpace.Default(MlTask.Regression)[0], 0.2, 1);
        Assert.InRange(trained.Metrics["rmse"], 0.5, 5);
        Assert.InRange(trained.Metrics["rSquared"], 0.5, 1);
    }

    [Fact]
    public void Predict_MissingFeature_NamesRowAndField()
    {
        var (frame, csv) = Prepare(Weather);
        var loaded = new LoadedModel(ModelTrainer.Train(frame, csv, SearchSpace.Default(MlTask.Multiclass)[3], 0.2, 1).ModelZip, frame);
        var error = Assert.Throws<InvalidDataFileException>(() => loaded.Predict([new Dictionary<string, string?> { ["date"] = "2015-07-01" }]));
        Assert.Equal("Row 0: the feature 'precipitation' is missing.", error.Message);
        error = Assert.Throws<InvalidDataFileException>(() => loaded.Predict([new Dictionary<string, string?> { ["date"] = "2015-07-01", ["precipitation"] = "lots", ["temp_max"] = "1", ["temp_min"] = "1", ["wind"] = "1" }]));
        Assert.Equal("Row 0, column 'precipitation': 'lots' is not a number.", error.Message);
    }

    [Fact]
    public void Create_BinaryTaskOnTextLabel_RefusedNamingTheLabel()
    {
        using var file = File.OpenRead(TestData.VegaDataset("seattle-weather.csv"));
        var schema = DatasetCurator.Curate(TabularReader.ReadCsv(file), "weather").Schema;
        var error = Assert.Throws<ArgumentException>(() => FeatureFrame.Create(schema, Weather with { Task = MlTask.Binary }));
        Assert.Contains("'weather' is categorical", error.Message);
    }

    [Fact]
    public void Train_DeclaredFeaturization_ExcludedColumnNotNeededToPredict()
    {
        var project = Weather with { Featurization = new Featurization { MissingValues = "zero", Normalize = "meanVariance", Exclude = ["date"] } };
        var (frame, csv) = Prepare(project);
        Assert.DoesNotContain(frame.Columns, c => c.Source == "date");

        var trained = ModelTrainer.Train(frame, csv, SearchSpace.Default(MlTask.Multiclass)[3], 0.2, 1);
        Assert.InRange(trained.Metrics["microAccuracy"], 0.6, 1.0);
        var prediction = new LoadedModel(trained.ModelZip, frame).Predict([
            new Dictionary<string, string?> { ["precipitation"] = "20.3", ["temp_max"] = "11.1", ["temp_min"] = "6.1", ["wind"] = "6.6" }]);
        Assert.Contains((string)prediction[0].Value!, Classes);
    }

    [Fact]
    public void Create_ExcludedColumnMissing_RefusedNamingIt()
    {
        using var file = File.OpenRead(TestData.VegaDataset("seattle-weather.csv"));
        var schema = DatasetCurator.Curate(TabularReader.ReadCsv(file), "weather").Schema;
        var error = Assert.Throws<ArgumentException>(() => FeatureFrame.Create(schema, Weather with { Featurization = new Featurization { Exclude = ["humidity"] } }));
        Assert.Contains("'humidity'", error.Message);
    }

    [Theory]
    [InlineData("oneHot")]
    [InlineData("hash")]
    public void Train_PenguinsCategoricals_BothEncodingsLearnTheSpecies(string encoding)
    {
        using var file = File.OpenRead(TestData.VegaDataset("penguins.json"));
        var curated = DatasetCurator.Curate(TabularReader.ReadJson(file), "Species");
        var project = new ProjectDefinition { Name = "penguins", Task = MlTask.Multiclass, Label = "Species", PrimaryMetric = "macroAccuracy", Featurization = new Featurization { Categorical = encoding } };
        var frame = FeatureFrame.Create(curated.Schema, project);
        Assert.Equal(["Island", "Sex"], frame.FeatureColumns.Where(c => c.Kind == InputKind.Categorical).Select(c => c.Source));
        var csv = frame.ToCsv(curated.Curated, withLabel: true);

        var trained = ModelTrainer.Train(frame, csv, SearchSpace.Default(MlTask.Multiclass)[3], 0.2, 1);
        Assert.InRange(trained.Metrics["macroAccuracy"], 0.9, 1.0);
    }

    [Theory]
    [InlineData("median", 44.45)]
    [InlineData("constant", -1)]
    public void WithFill_MedianOrConstant_FixedFromTrainingDataAndAppliedToServingRows(string mode, double expected)
    {
        using var file = File.OpenRead(TestData.VegaDataset("penguins.json"));
        var curated = DatasetCurator.Curate(TabularReader.ReadJson(file), "Species");
        var project = new ProjectDefinition
        {
            Name = "penguins", Task = MlTask.Multiclass, Label = "Species", PrimaryMetric = "macroAccuracy",
            Featurization = new Featurization { MissingValues = mode, MissingConstant = -1 },
        };
        var frame = FeatureFrame.Create(curated.Schema, project).WithFill(curated.Curated);
        Assert.Equal(expected, frame.Fill!["Beak Length (mm)"]);

        // The frame travels with the model as JSON: a serving row with a missing value is filled the same way.
        var served = Json.Deserialize<FeatureFrame>(Json.Serialize(frame));
        var csv = served.ToCsv([name => name == "Island" ? "Biscoe" : null], withLabel: false);
        Assert.Contains(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), csv);
    }
}
