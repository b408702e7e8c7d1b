using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Training;

/// <summary>
/// Rows without the label are data: ingestion keeps them unless the dataset declares the label not-null, and training
/// leaves them out before its split and says how many. The fixture is seattle-weather's first 400 rows with the label
/// blanked on every 14th (28 rows, 7 %: over the 5 % rejected share that refused such an upload before).
/// </summary>
public sealed class UnlabelledRowsTests
{
    private static CurationResult Fixture()
    {
        using var file = File.OpenRead(TestData.Fixture("seattle-weather-unlabelled.csv"));
        return DatasetCurator.Curate(TabularReader.ReadCsv(file), "weather");
    }

    private static ProjectDefinition Weather => new() { Name = "seattle-weather", Task = MlTask.Multiclass, Label = "weather", PrimaryMetric = "microAccuracy" };

    private static DatasetInfo Dataset(DatasetExpectations? declared, DatasetExpectations? inferred) =>
        DatasetIngestion.NewCatalogEntry("p", "weather", DatasetKind.Tabular, DateTimeOffset.UnixEpoch) with { Expectations = declared, InferredExpectations = inferred };

    private static readonly DatasetExpectations InferredFromAFullyLabelledVersion = new(["date", "wind", "weather"], new Dictionary<string, ColumnExpectation>
    {
        ["wind"] = new(Type: ColumnType.Number, NotNull: true),
        ["weather"] = new(Type: ColumnType.Categorical, NotNull: true),
    });

    [Fact]
    public void EffectiveExpectations_InferredNotNullOnTheLabel_LabelRequiredButNotNotNull()
    {
        var suite = DatasetIngestion.EffectiveExpectations(Dataset(null, InferredFromAFullyLabelledVersion), "weather");

        Assert.Contains("weather", suite.RequiredColumns!);
        Assert.Null(suite.For("weather")!.NotNull);
        Assert.Equal(ColumnType.Categorical, suite.For("weather")!.Type);
        Assert.True(suite.For("wind")!.NotNull); // other columns keep what the first version taught
    }

    [Fact]
    public void EffectiveExpectations_NoDatasetYet_LabelRequiredAndNullable()
    {
        var suite = DatasetIngestion.EffectiveExpectations(null, "weather");

        Assert.Equal(["weather"], suite.RequiredColumns!);
        Assert.Null(suite.For("weather")?.NotNull);
    }

    [Fact]
    public void EffectiveExpectations_OwnerDeclaresTheLabelNotNull_NotNullKept()
    {
        var declared = new DatasetExpectations(Columns: new Dictionary<string, ColumnExpectation> { ["weather"] = new(NotNull: true) });

        var suite = DatasetIngestion.EffectiveExpectations(Dataset(declared, InferredFromAFullyLabelledVersion), "weather");

        Assert.True(suite.For("weather")!.NotNull);
    }

    [Fact]
    public void Curate_FixtureWithUnlabelledRows_EveryRowKept()
    {
        var curated = Fixture();

        Assert.Equal((400, 0), (curated.Curated.Rows.Count, curated.RowsQuarantined));
        var label = curated.Curated.IndexOf("weather");
        Assert.Equal(28, curated.Curated.Rows.Count(r => r[label] is null));
    }

    [Fact]
    public void Of_FixtureWithUnlabelledRows_LabelledRowsAndTheCountWithTheReason()
    {
        var curated = Fixture().Curated;

        var (labelled, rows) = LabelledRows.Of(curated, "weather");

        Assert.Equal((372, 28), (rows.Labelled, rows.Unlabelled));
        Assert.Equal(372, labelled.Rows.Count);
        Assert.DoesNotContain(labelled.Rows, r => r[labelled.IndexOf("weather")] is null);
        Assert.Equal("28 of 400 rows (7.0 %) have no value for the label 'weather': they stay in the dataset version, and training, validation and test leave them out",
            rows.Reason);
        Assert.Equal(400, curated.Rows.Count); // the curated table (shared by every reader) is not changed
    }

    [Fact]
    public void Of_EveryRowLabelled_SameTableNothingLeftOut()
    {
        using var file = File.OpenRead(TestData.VegaDataset("seattle-weather.csv"));
        var curated = DatasetCurator.Curate(TabularReader.ReadCsv(file), "weather").Curated;

        var (labelled, rows) = LabelledRows.Of(curated, "weather");

        Assert.Same(curated, labelled);
        Assert.Equal(new TrainingRows(1461, 0, null), rows);
    }

    [Fact]
    public void Train_FixtureLabelledRows_TestSetHoldsOnlyLabelledRowsOfTheRealClasses()
    {
        var curated = Fixture();
        var (labelled, rows) = LabelledRows.Of(curated.Curated, "weather");
        var frame = FeatureFrame.Create(curated.Schema, Weather).WithFill(labelled);

        var trained = ModelTrainer.Train(frame, frame.ToCsv(labelled, withLabel: true), SearchSpace.Default(MlTask.Multiclass)[0], 0.2, 1);

        var matrix = trained.ConfusionMatrix!;
        Assert.All(matrix.Classes, c => Assert.Contains(c, new[] { "drizzle", "fog", "rain", "snow", "sun" }));
        // ML.NET's seeded split puts about a fifth of the rows in the test set: of the labelled rows only.
        Assert.InRange(matrix.Counts.Sum(r => r.Sum()), 0.1 * rows.Labelled, 0.3 * rows.Labelled);
        Assert.InRange(trained.Metrics["microAccuracy"], 0.5, 1.0);
    }

    [Fact]
    public void Select_TrialsThatLeftRowsOut_OutcomeCarriesTheRows()
    {
        var rows = new TrainingRows(372, 28, "28 of 400 rows …");
        TrialResult Trial(string id, double accuracy, TrainingRows? left) => new("r", id, "LightGbm", new Dictionary<string, double>(), TrialStatus.Succeeded,
            new Dictionary<string, double> { ["microAccuracy"] = accuracy }, "m", 0, null, TrainingRows: left);

        var outcome = ChampionSelector.Select([Trial("t1", 0.8, null), Trial("t2", 0.7, rows)], "microAccuracy", []);

        Assert.Equal("t1", outcome.BestTrialId);
        Assert.Equal(rows, outcome.TrainingRows);
    }
}
