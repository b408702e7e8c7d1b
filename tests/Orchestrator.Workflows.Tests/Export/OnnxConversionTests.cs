using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Export;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Tests.Export;

/// <summary>
/// Every trainer we offer converts to ONNX with our featurization, and ONNX Runtime answers as ML.NET does on real
/// rows; text featurization does not convert, and the refusal names the step and the column.
/// </summary>
public sealed class OnnxConversionTests
{
    public static TheoryData<string, string> Trainers()
    {
        var data = new TheoryData<string, string>();
        foreach (var (task, trainers) in SearchSpace.TrainersByTask)
            foreach (var trainer in trainers) data.Add(task, trainer);
        return data;
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public void Check_EveryTrainerOnSeattleWeather_OnnxRuntimeAnswersAsMlNet(string task, string trainer)
    {
        var label = task switch { MlTask.Binary => "rainy", MlTask.Regression => "temp_max", _ => "weather" };
        var (zip, frame, sample) = Train("seattle-weather.csv", task, label, trainer, null);
        var check = OnnxExporter.Check(OnnxConversion.Convert(zip, frame), frame, OnnxConversion.Classes(zip, frame), sample, DateTimeOffset.UnixEpoch);
        Assert.True(check.Passed, check.Detail);
        Assert.Equal((20, 0), (check.Rows, check.Mismatches));
        Assert.DoesNotContain(check.Inputs, i => i.Kind == InputKind.Label);
    }

    [Fact]
    public void Check_PenguinsWithHashedCategoriesMedianFillAndStandardisation_Passes()
    {
        var (zip, frame, sample) = Train("penguins.json", MlTask.Regression, "Body Mass (g)", SearchSpace.FastTree,
            new Featurization { Categorical = "hash", Normalize = "meanVariance", MissingValues = "median" });
        // The smoke rows are labelled rows: penguins' two rows without measurements have no body mass either, so the
        // median fill is in the converted graph but no smoke row has a missing number.
        var onnx = OnnxConversion.Convert(zip, frame);
        var check = OnnxExporter.Check(onnx, frame, [], sample, DateTimeOffset.UnixEpoch);
        Assert.True(check.Passed, check.Detail);
        Assert.Contains(check.Inputs, i => i is { Source: "Island", ElementType: "string" });
        Assert.Equal(["Score.output"], check.Outputs);
        using var session = new InferenceSession(onnx);
        Assert.Equal(frame.FeatureColumns.Select(c => c.Name).Order(), session.InputNames.Order());
    }

    [Fact]
    public void Check_AnswerThatDiffers_FailsNamingTheRow()
    {
        var (zip, frame, sample) = Train("seattle-weather.csv", MlTask.Multiclass, "weather", SearchSpace.LbfgsMaximumEntropy, null);
        var predictions = sample.Predictions.ToList();
        predictions[3] = predictions[3] with { Value = predictions[3].Value == "snow" ? "rain" : "snow" };
        var check = OnnxExporter.Check(OnnxConversion.Convert(zip, frame), frame, OnnxConversion.Classes(zip, frame), sample with { Predictions = predictions }, DateTimeOffset.UnixEpoch);
        Assert.False(check.Passed);
        Assert.Equal(1, check.Mismatches);
        Assert.False(check.Comparisons[3].Same);
    }

    [Fact]
    public void Convert_TextFeaturization_ThrowsNamingTheStepAndTheColumn()
    {
        var (zip, frame, _) = Train("cars.json", MlTask.Regression, "Miles_per_Gallon", SearchSpace.FastTree, null);
        Assert.Contains(frame.Columns, c => c is { Source: "Name", Kind: InputKind.Text });
        var e = Assert.Throws<OnnxNotConvertibleException>(() => OnnxConversion.Convert(zip, frame));
        Assert.Equal(("TextFeaturizingEstimator", "Name"), (e.Transform, e.Column));
        Assert.Contains("TextFeaturizingEstimator (on the text column 'Name')", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Trains a candidate and records 20 smoke rows with ML.NET's answers, as training does.</summary>
    private static (byte[] Zip, FeatureFrame Frame, SmokeSample Sample) Train(string file, string task, string label, string trainer, Featurization? featurization)
    {
        using var stream = File.OpenRead(TestData.VegaDataset(file));
        var table = file.EndsWith(".json", StringComparison.Ordinal) ? TabularReader.ReadJson(stream) : TabularReader.ReadCsv(stream);
        if (label == "rainy") table = WithRainy(table);
        var curated = DatasetCurator.Curate(table, label);
        var project = new ProjectDefinition { Name = "p1", Task = task, Label = label, PrimaryMetric = "x", Featurization = featurization };
        var frame = FeatureFrame.Create(curated.Schema, project).WithFill(curated.Curated);
        var trained = ModelTrainer.Train(frame, frame.ToCsv(curated.Curated, withLabel: true), new CandidateSpec(trainer, new Dictionary<string, double>()), 0.2, 1);
        var rows = curated.Curated.SampleRows(20);
        var answers = new LoadedModel(trained.ModelZip, frame).Predict(rows).Select(p => new SmokeExpectation(
            p.Value switch { double d => d.ToString("R", CultureInfo.InvariantCulture), bool b => b ? "true" : "false", var v => v?.ToString() }, p.Scores)).ToList();
        return (trained.ModelZip, frame, new SmokeSample(rows, answers));
    }

    /// <summary>Seattle's weather as a binary task: did it rain (the weather column itself left out).</summary>
    private static TabularData WithRainy(TabularData table)
    {
        var derived = new TabularData([.. table.Columns.Where(c => c != "weather"), "rainy"]);
        var weather = table.IndexOf("weather");
        foreach (var row in table.Rows) derived.Rows.Add([.. row.Where((_, i) => i != weather), row[weather] == "rain" ? "true" : "false"]);
        return derived;
    }
}
