using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Serving;

/// <summary>The pooled engines answer exactly as the model's own text loader does, row for row, on real data.</summary>
public sealed class LoadedModelTests
{
    private static (LoadedModel Model, TabularData Rows) Train(string file, string label, string task, CandidateSpec candidate, Featurization? featurization = null)
    {
        using var stream = File.OpenRead(TestData.VegaDataset(file));
        var table = file.EndsWith(".json", StringComparison.Ordinal) ? TabularReader.ReadJson(stream) : TabularReader.ReadCsv(stream);
        var curated = DatasetCurator.Curate(table, label);
        var project = new ProjectDefinition { Name = "p1", Task = task, Label = label, PrimaryMetric = task == MlTask.Regression ? "rmse" : "microAccuracy", Featurization = featurization };
        var frame = FeatureFrame.Create(curated.Schema, project).WithFill(curated.Curated);
        var trained = ModelTrainer.Train(frame, frame.ToCsv(curated.Curated, withLabel: true), candidate, 0.2, 1);
        return (new LoadedModel(trained.ModelZip, Json.Deserialize<FeatureFrame>(Json.Serialize(frame))), curated.Curated);
    }

    private static void AssertSameAnswers(LoadedModel model, TabularData data)
    {
        var rows = data.SampleRows(200);
        var reference = model.PredictWithLoader(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            var engine = model.Predict([rows[i]])[0];
            Assert.Equal(reference[i].Value, engine.Value);
            if (reference[i].Scores is { } scores)
                foreach (var (name, score) in scores) Assert.Equal(score, engine.Scores![name], 5);
        }
    }

    [Fact]
    public void Predict_MulticlassWeatherWithDateParts_EnginesMatchTheLoaderOnEveryRow()
    {
        var (model, data) = Train("seattle-weather.csv", "weather", MlTask.Multiclass, SearchSpace.Default(MlTask.Multiclass)[3]);
        AssertSameAnswers(model, data);
    }

    [Fact]
    public void Predict_PenguinsWithMissingValuesAndCategoricals_EnginesMatchTheLoaderOnEveryRow()
    {
        var (model, data) = Train("penguins.json", "Species", MlTask.Multiclass, SearchSpace.Default(MlTask.Multiclass)[3], new Featurization { MissingValues = "mean" });
        Assert.Contains(data.Rows, r => r.Any(c => c is null));
        AssertSameAnswers(model, data);
    }

    [Fact]
    public void Predict_RegressionOnTemperatures_EnginesMatchTheLoaderOnEveryRow()
    {
        var (model, data) = Train("seattle-weather.csv", "temp_max", MlTask.Regression, SearchSpace.Default(MlTask.Regression)[0]);
        AssertSameAnswers(model, data);
    }

    [Fact]
    public void Predict_RowMissingAFeature_ThrowsNamingTheRowIndex()
    {
        var (model, data) = Train("seattle-weather.csv", "temp_max", MlTask.Regression, SearchSpace.Default(MlTask.Regression)[0]);
        var rows = data.SampleRows(3).ToList();
        rows[2] = rows[2].Where(p => p.Key != "precipitation").ToDictionary(p => p.Key, p => p.Value);
        var e = Assert.Throws<InvalidDataFileException>(() => model.Predict(rows));
        Assert.Equal((2, "Row 2: the feature 'precipitation' is missing."), (e.Row, e.Message));
    }

    [Fact]
    public void Predict_ValueOfTheWrongType_ThrowsNamingTheRowIndexOnBothPaths()
    {
        var (model, data) = Train("seattle-weather.csv", "temp_max", MlTask.Regression, SearchSpace.Default(MlTask.Regression)[0]);
        var rows = data.SampleRows(3).ToList();
        rows[1] = new Dictionary<string, string?>(rows[1]) { ["wind"] = "breezy" };
        Assert.Equal(1, Assert.Throws<InvalidDataFileException>(() => model.Predict(rows)).Row);
        Assert.Equal(1, Assert.Throws<InvalidDataFileException>(() => model.PredictWithLoader(rows)).Row);
    }

    [Fact]
    public void Predict_ManyRowsConcurrently_SameAnswersAsOneByOne()
    {
        var (model, data) = Train("seattle-weather.csv", "weather", MlTask.Multiclass, SearchSpace.Default(MlTask.Multiclass)[3]);
        var rows = data.SampleRows(100);
        var expected = rows.Select(r => model.Predict([r])[0].Value).ToList();
        var results = new object?[rows.Count];
        Parallel.For(0, rows.Count * 5, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i % rows.Count] = model.Predict([rows[i % rows.Count]])[0].Value);
        Assert.Equal(expected, results);
    }

    [Fact]
    public void Predict_BadValueInASingleRow_NamesTheRowAndField()
    {
        var (model, _) = Train("seattle-weather.csv", "weather", MlTask.Multiclass, SearchSpace.Default(MlTask.Multiclass)[3]);
        var error = Assert.Throws<InvalidDataFileException>(() => model.Predict([
            new Dictionary<string, string?> { ["date"] = "2015-07-01", ["precipitation"] = "lots", ["temp_max"] = "27.2", ["temp_min"] = "14.4", ["wind"] = "2.9" }]));
        Assert.Contains("column 'precipitation'", error.Message);
    }
}
