using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Registry;

/// <summary>
/// InfraValidator-style checks of a model before it serves: when a run's best candidate gets its model card, a sample
/// of its training data is scored by the saved model and recorded next to it (<c>smoke.json</c>); before a promotion,
/// the model is loaded from Blob storage the way serving loads it, scores the same rows, and must give the same answers.
/// </summary>
public sealed class SmokeTester(LakeStore lake, ModelStore modelStore, ModelCache models)
{
    public const string SampleFile = "smoke.json";
    private const int SampleRows = 20;

    public static string SamplePathFor(string modelBlob) => modelBlob[..(modelBlob.LastIndexOf('/') + 1)] + SampleFile;

    /// <summary>
    /// Scores up to 20 rows spread evenly over the curated version with the model just trained, and keeps them with
    /// the predictions. (Rows of the whole version, not only of the test split: ML.NET's split does not expose which
    /// rows it took; the check is that the deployed artifact answers as the trained one did.)
    /// </summary>
    public async Task RecordAsync(string modelBlob, byte[] modelZip, FeatureFrame frame, TabularData data, CancellationToken ct = default)
    {
        var rows = data.SampleRows(SampleRows);
        var predictions = new LoadedModel(modelZip, frame).Predict(rows).Select(Expectation).ToList();
        await lake.UploadBytesAsync(StorageNames.ModelsContainer, SamplePathFor(modelBlob),
            Encoding.UTF8.GetBytes(Json.Serialize(new SmokeSample(rows, predictions))), "application/json", ct);
    }

    private static SmokeExpectation Expectation(Prediction p) =>
        new(p.Value switch { null => null, double d => d.ToString("R", CultureInfo.InvariantCulture), bool b => b ? "true" : "false", var v => v.ToString() }, p.Scores);

    /// <summary>Loads the version's model as serving does (into the shared cache, so a promoted model is warm) and checks its answers.</summary>
    public async Task<SmokeTestResult> TestAsync(SmokeTestInput input, CancellationToken ct = default)
    {
        var model = await modelStore.GetModelVersionAsync(input.Project, input.Version, ct);
        if (model is null) return new SmokeTestResult(false, $"Project '{input.Project}' has no model version {input.Version}.", 0, 0, 0, 0);
        var watch = Stopwatch.StartNew();
        LoadedModel loaded;
        SmokeSample sample;
        try
        {
            if (!await lake.ExistsAsync(StorageNames.ModelsContainer, SamplePathFor(model.ModelBlob), ct))
                return new SmokeTestResult(false, $"No smoke sample was recorded at training for version {input.Version} ({SamplePathFor(model.ModelBlob)}).", 0, 0, 0, 0);
            sample = Json.Deserialize<SmokeSample>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, SamplePathFor(model.ModelBlob), ct)));
            loaded = await models.GetAsync(model);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SmokeTestResult(false, $"The model does not load: {e.Message}", 0, 0, watch.Elapsed.TotalMilliseconds, 0);
        }
        var loadMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        IReadOnlyList<Prediction> answers;
        try
        {
            answers = loaded.Predict(sample.Rows);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SmokeTestResult(false, $"The model does not answer: {e.Message}", sample.Rows.Count, sample.Rows.Count, loadMs, watch.Elapsed.TotalMilliseconds);
        }
        var predictMs = watch.Elapsed.TotalMilliseconds;
        var mismatches = answers.Select(Expectation).Zip(sample.Predictions, (got, expected) => Matches(got, expected) ? 0 : 1).Sum();
        return mismatches == 0 && answers.Count == sample.Predictions.Count
            ? new SmokeTestResult(true, $"Loaded in {loadMs:0} ms; {answers.Count} rows answered in {predictMs:0.0} ms, as at training.", answers.Count, 0, loadMs, predictMs)
            : new SmokeTestResult(false, $"{mismatches} of {sample.Predictions.Count} predictions differ from those recorded at training.", answers.Count, mismatches, loadMs, predictMs);
    }

    private static bool Matches(SmokeExpectation got, SmokeExpectation expected)
    {
        if (got.Value != expected.Value
            && !(double.TryParse(got.Value, CultureInfo.InvariantCulture, out var a) && double.TryParse(expected.Value, CultureInfo.InvariantCulture, out var b)
                 && Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(b))))
            return false;
        if (got.Scores is null || expected.Scores is null) return got.Scores is null == expected.Scores is null;
        return expected.Scores.All(s => got.Scores.TryGetValue(s.Key, out var v) && Math.Abs(v - s.Value) <= 1e-5);
    }
}
