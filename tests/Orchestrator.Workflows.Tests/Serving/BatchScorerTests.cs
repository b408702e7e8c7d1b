using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Serving;

public sealed class BatchScorerTests
{
    private static FeatureFrame Frame(string task) => new(task, "y", [new InputColumn("x", "f0_x", InputKind.Number, ColumnType.Number), new InputColumn("y", "Label_f1_y", InputKind.Label, ColumnType.Number)]);

    private static DatasetSchema Schema(params string[] columns) => new(columns.Select(c => new ColumnSchema(c, ColumnType.Number, true, 0)).ToList());

    [Fact]
    public void PredictionColumns_EachTask_PredictionAndItsScores()
    {
        Assert.Equal(["prediction", "score_a", "score_b"], BatchScorer.PredictionColumns(Frame(MlTask.Multiclass), ["a", "b"], Schema("x", "y")).Select(c => c.Name));
        Assert.Equal([(ColumnType.Boolean, "prediction"), (ColumnType.Number, "probability")],
            BatchScorer.PredictionColumns(Frame(MlTask.Binary), [], Schema("x", "y")).Select(c => (c.Type, c.Name)));
        Assert.Equal([(ColumnType.Number, "prediction")], BatchScorer.PredictionColumns(Frame(MlTask.Regression), [], Schema("x", "y")).Select(c => (c.Type, c.Name)));
    }

    [Fact]
    public void PredictionColumns_NameTakenByTheDataset_LeadingUnderscoreUntilFree()
    {
        var columns = BatchScorer.PredictionColumns(Frame(MlTask.Binary), [], Schema("x", "prediction", "_prediction", "probability"));

        Assert.Equal(["__prediction", "_probability"], columns.Select(c => c.Name));
    }

    [Fact]
    public void PartPath_BatchAndPart_KeyedUnderTheBatchPrefix()
    {
        Assert.Equal("batch/b1/part-00007.parquet", BatchScorer.PartPath("b1", 7));
        Assert.Throws<ArgumentException>(() => BatchScorer.OutputPrefix("../b1"));
    }
}
