using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Training;

/// <summary>Slice metrics on penguins (label Species, slices by Island) and the per-slice KPI gate.</summary>
public sealed class SliceMetricsTests
{
    private static readonly ProjectDefinition Penguins = new()
    {
        Name = "penguins", Task = MlTask.Multiclass, Label = "Species", PrimaryMetric = "microAccuracy",
        Evaluation = new EvaluationSettings { SliceBy = ["Island"] },
    };

    private static (FeatureFrame Frame, TabularData Data, DatasetSchema Schema, TrainedModel Trained) Train()
    {
        using var file = File.OpenRead(TestData.VegaDataset("penguins.json"));
        var curated = DatasetCurator.Curate(TabularReader.ReadJson(file), "Species");
        var (data, _) = LabelledRows.Of(curated.Curated, "Species");
        var frame = FeatureFrame.Create(curated.Schema, Penguins).WithFill(data);
        var trained = ModelTrainer.Train(frame, frame.ToCsv(data, withLabel: true), SearchSpace.Default(MlTask.Multiclass)[0], 0.2, 1);
        return (frame, data, curated.Schema, trained);
    }

    private static TrialResult Trial(string id, double accuracy, params SliceMetrics[] slices) => new("r", id, "LightGbm", new Dictionary<string, double>(),
        TrialStatus.Succeeded, new Dictionary<string, double> { ["microAccuracy"] = accuracy }, "m", 0, null, Slices: slices);

    private static SliceMetrics Slice(string island, int rows, double accuracy) =>
        new("Island", island, rows, new Dictionary<string, double> { ["microAccuracy"] = accuracy });

    [Fact]
    public void TestRowPositions_PenguinsSplit_SameRowsAsTrainingTestedOn()
    {
        var (frame, data, _, trained) = Train();
        var positions = ModelTrainer.TestRowPositions(data.Rows.Count, 0.2, 1);
        var test = new TabularData(data.Columns);
        test.Rows.AddRange(positions.Select(i => data.Rows[i]));

        var metrics = ModelTrainer.EvaluateRows(ModelTrainer.LoadSaved(trained.ModelZip, 1), MlTask.Multiclass, frame.ToCsv(test, withLabel: true));

        Assert.Equal(trained.ConfusionMatrix!.Counts.Sum(r => r.Sum()), positions.Length);
        Assert.Equal(trained.Metrics["microAccuracy"], metrics["microAccuracy"], 9);
        Assert.Equal(trained.Metrics["logLoss"], metrics["logLoss"], 6);
    }

    [Fact]
    public void Evaluate_PenguinsByIsland_OneSlicePerIslandCoveringTheTestSet()
    {
        var (frame, data, schema, trained) = Train();

        var slices = SliceEvaluation.Evaluate(frame, data, schema, trained.ModelZip, ["Island"], 0.2, 1);

        Assert.Equal(["Biscoe", "Dream", "Torgersen"], slices.Select(s => s.Value));
        Assert.All(slices, s => Assert.Equal("Island", s.Column));
        Assert.Equal(trained.ConfusionMatrix!.Counts.Sum(r => r.Sum()), slices.Sum(s => s.Rows));
        Assert.All(slices, s => Assert.InRange(s.Metrics["microAccuracy"], 0.5, 1.0));
        Assert.All(slices, s => Assert.Contains("macroAccuracy", s.Metrics.Keys));
        // Overall accuracy is the slices' accuracies weighted by their rows.
        var weighted = slices.Sum(s => s.Metrics["microAccuracy"] * s.Rows) / slices.Sum(s => s.Rows);
        Assert.Equal(trained.Metrics["microAccuracy"], weighted, 5);
        Assert.Equal("Island=Torgersen", slices[2].Name);
        // Every island has enough test rows for a per-slice KPI to judge it (30, 31 and 11 with seed 1).
        Assert.All(slices, s => Assert.InRange(s.Rows, SliceEvaluation.MinRowsForKpi, 100));
        // Torgersen has Adelie penguins only: its log-loss reduction (against a one-class prior) is not finite, so not reported.
        Assert.DoesNotContain("logLossReduction", slices[2].Metrics.Keys);
    }

    [Theory]
    [InlineData("Beak Length (mm)", "is a number column")]
    [InlineData("Colony", "is not a column of the dataset")]
    public void Evaluate_SliceColumnNotCategorical_ThrowsNamingTheField(string column, string expected)
    {
        var (frame, data, schema, trained) = Train();

        var error = Assert.Throws<ArgumentException>(() => SliceEvaluation.Evaluate(frame, data, schema, trained.ModelZip, ["Island", column], 0.2, 1));

        Assert.StartsWith("evaluation.sliceBy[1]: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Evaluate_NoSliceBy_NoSlices()
    {
        var (frame, data, schema, trained) = Train();

        Assert.Empty(SliceEvaluation.Evaluate(frame, data, schema, trained.ModelZip, null, 0.2, 1));
    }

    [Fact]
    public void Select_PerSliceKpiMissedInOneSlice_FailsNamingTheSlice()
    {
        var trial = Trial("t1", 0.9, Slice("Biscoe", 34, 0.97), Slice("Dream", 25, 0.92), Slice("Torgersen", 12, 0.62));

        var outcome = ChampionSelector.Select([trial], "microAccuracy", [new Kpi("microAccuracy", Min: 0.7) { PerSlice = true }]);

        Assert.False(outcome.PassedKpis);
        Assert.Equal("t1", outcome.BestTrialId);
        Assert.Contains("microAccuracy 0.62 < 0.7 in Island=Torgersen (12 test rows)", outcome.Reason);
        Assert.DoesNotContain("Biscoe", outcome.Reason);
    }

    [Fact]
    public void Select_SliceBelowMinRows_NotJudged()
    {
        var trial = Trial("t1", 0.9, Slice("Biscoe", 34, 0.97), Slice("Torgersen", SliceEvaluation.MinRowsForKpi - 1, 0.5));

        var outcome = ChampionSelector.Select([trial], "microAccuracy", [new Kpi("microAccuracy", Min: 0.7) { PerSlice = true }]);

        Assert.True(outcome.PassedKpis, outcome.Reason);
    }

    [Fact]
    public void Select_KpiNotPerSlice_SlicesNotJudged()
    {
        var trial = Trial("t1", 0.9, Slice("Torgersen", 40, 0.5));

        Assert.True(ChampionSelector.Select([trial], "microAccuracy", [new Kpi("microAccuracy", Min: 0.7)]).PassedKpis);
    }

    [Fact]
    public void Select_PerSliceMaxMissed_NamesTheBound()
    {
        var trial = new TrialResult("r", "t1", "FastTree", new Dictionary<string, double>(), TrialStatus.Succeeded,
            new Dictionary<string, double> { ["rmse"] = 3 }, "m", 0, null,
            Slices: [new SliceMetrics("Sex", "MALE", 30, new Dictionary<string, double> { ["rmse"] = 5.5 })]);

        var outcome = ChampionSelector.Select([trial], "rmse", [new Kpi("rmse", Max: 4) { PerSlice = true }]);

        Assert.Contains("rmse 5.5 > 4 in Sex=MALE", outcome.Reason);
    }

    [Fact]
    public void Validate_PerSliceKpiWithoutSliceBy_NamesTheKpi()
    {
        var project = Penguins with { Evaluation = null, Kpis = [new Kpi("microAccuracy", Min: 0.7), new Kpi("microAccuracy", Min: 0.7) { PerSlice = true }] };

        Assert.Equal(["kpis[1].perSlice"], SliceEvaluation.Validate(project).Select(e => e.Field));
    }

    [Fact]
    public void Validate_LabelBlankOrRepeatedSliceColumns_NamesEachEntry()
    {
        var project = Penguins with { Evaluation = new EvaluationSettings { SliceBy = ["Species", "Island", " ", "Island"] } };

        Assert.Equal(["evaluation.sliceBy[0]", "evaluation.sliceBy[2]", "evaluation.sliceBy[3]"], SliceEvaluation.Validate(project).Select(e => e.Field));
    }

    [Fact]
    public void CheckSchema_CategoricalAndBooleanColumns_Accepted()
    {
        var schema = new DatasetSchema([new ColumnSchema("Island", ColumnType.Categorical, false, 3), new ColumnSchema("Tagged", ColumnType.Boolean, false, 2)]);

        Assert.Empty(SliceEvaluation.CheckSchema(["Island", "Tagged"], schema));
    }

    [Fact]
    public void Kpi_PerSlice_ReadsAsEverySlice()
    {
        Assert.Equal("microAccuracy >= 0.7 in every slice", new Kpi("microAccuracy", Min: 0.7) { PerSlice = true }.ToString());
    }
}
