using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Registry;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Export;

/// <summary>How the exported model answered one smoke row next to ML.NET's answer recorded at training.</summary>
public sealed record OnnxRowComparison(int Row, string? MlNet, string? Onnx, double MaxScoreDifference, bool Same);

/// <summary>
/// The check of an ONNX export: the model's smoke rows scored through ONNX Runtime against the ML.NET answers
/// recorded at training — the same predicted label (or a value within the tolerance) and every score within it.
/// Also what a caller needs to feed the file: its inputs (one <c>[n, 1]</c> tensor per model column, the label
/// not among them) and outputs.
/// </summary>
public sealed record OnnxCheck(
    bool Passed, string Detail, int Rows, int Mismatches, double MaxScoreDifference, double Tolerance,
    IReadOnlyList<OnnxInput> Inputs, IReadOnlyList<OnnxRowComparison> Comparisons, IReadOnlyList<string> Outputs,
    long Bytes, string Sha256, string Converter, string Runtime, DateTimeOffset CheckedAt);

/// <summary>An exported model version: the ONNX bytes and how they compared.</summary>
public sealed record OnnxExport(byte[] Onnx, OnnxCheck Check);

/// <summary>A model version that cannot be checked: it has no smoke rows recorded at training.</summary>
public sealed class OnnxUncheckedException(string message) : Exception(message);

/// <summary>
/// Exports a model version to ONNX once and keeps the file and its check next to the model
/// (<c>model.onnx</c>, <c>onnx-check.json</c>; a version's model blob is its own, so this is keyed by project and
/// version): later requests read them. The check is written last, so a file without it is converted again.
/// </summary>
public sealed class OnnxExporter(LakeStore lake, TimeProvider clock)
{
    public const string OnnxFile = "model.onnx";
    public const string CheckFile = "onnx-check.json";

    /// <summary>Score differences up to this (absolute, or relative for large values) count as the same answer: float arithmetic in another order.</summary>
    public const double Tolerance = 1e-4;

    public static string PathFor(string modelBlob, string file) => modelBlob[..(modelBlob.LastIndexOf('/') + 1)] + file;

    /// <summary>
    /// The version's ONNX file and its check. Throws <see cref="OnnxNotConvertibleException"/> when the pipeline has a
    /// step without conversion, <see cref="OnnxUncheckedException"/> when there are no smoke rows to check it with.
    /// </summary>
    public async Task<OnnxExport> ExportAsync(ModelVersionInfo model, CancellationToken ct = default)
    {
        var onnxPath = PathFor(model.ModelBlob, OnnxFile);
        var checkPath = PathFor(model.ModelBlob, CheckFile);
        if (await lake.ExistsAsync(StorageNames.ModelsContainer, checkPath, ct) && await lake.ExistsAsync(StorageNames.ModelsContainer, onnxPath, ct))
            return new OnnxExport(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, onnxPath, ct),
                Json.Deserialize<OnnxCheck>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, checkPath, ct))));

        var samplePath = SmokeTester.SamplePathFor(model.ModelBlob);
        if (!await lake.ExistsAsync(StorageNames.ModelsContainer, samplePath, ct))
            throw new OnnxUncheckedException($"Model version {model.Version} has no smoke rows recorded at training ({samplePath}), so its ONNX export cannot be checked.");
        var zip = await lake.DownloadBytesAsync(StorageNames.ModelsContainer, model.ModelBlob, ct);
        var frame = Json.Deserialize<FeatureFrame>(Encoding.UTF8.GetString(
            await lake.DownloadBytesAsync(StorageNames.ModelsContainer, TrialRunner.FramePathFor(model.ModelBlob), ct)));
        var sample = Json.Deserialize<SmokeSample>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, samplePath, ct)));

        var onnx = OnnxConversion.Convert(zip, frame);
        var check = Check(onnx, frame, OnnxConversion.Classes(zip, frame), sample, clock.GetUtcNow());
        await lake.UploadBytesAsync(StorageNames.ModelsContainer, onnxPath, onnx, "application/octet-stream", ct);
        await lake.UploadBytesAsync(StorageNames.ModelsContainer, checkPath, Encoding.UTF8.GetBytes(Json.Serialize(check)), "application/json", ct);
        return new OnnxExport(onnx, check);
    }

    /// <summary>Scores the smoke rows with the ONNX model and compares each answer with the recorded ML.NET one.</summary>
    public static OnnxCheck Check(byte[] onnx, FeatureFrame frame, IReadOnlyList<string> classes, SmokeSample sample, DateTimeOffset at)
    {
        using var session = new InferenceSession(onnx);
        var answers = OnnxConversion.Score(session, frame, classes, sample.Rows);
        var comparisons = answers.Select(Expectation).Zip(sample.Predictions, (got, expected) => (got, expected))
            .Select((pair, row) => Compare(row, pair.got, pair.expected)).ToList();
        var mismatches = comparisons.Count(c => !c.Same) + Math.Abs(answers.Count - sample.Predictions.Count);
        var maxDifference = comparisons.Count == 0 ? 0 : comparisons.Max(c => c.MaxScoreDifference);
        var passed = mismatches == 0 && comparisons.Count > 0;
        var detail = passed
            ? $"ONNX Runtime answered all {comparisons.Count} smoke rows as ML.NET did (largest score difference {maxDifference.ToString("G3", CultureInfo.InvariantCulture)}, tolerance {Tolerance.ToString(CultureInfo.InvariantCulture)})."
            : comparisons.Count == 0 ? "There are no smoke rows to compare."
            : $"{mismatches} of {sample.Predictions.Count} smoke rows differ between ONNX Runtime and ML.NET (largest score difference {maxDifference.ToString("G3", CultureInfo.InvariantCulture)}).";
        return new OnnxCheck(passed, detail, comparisons.Count, mismatches, maxDifference, Tolerance, OnnxConversion.Inputs(frame), comparisons,
            [.. session.OutputNames], onnx.LongLength, Convert.ToHexStringLower(SHA256.HashData(onnx)), ConverterVersion, OrtEnv.Instance().GetVersionString(), at);
    }

    /// <summary>An answer as the smoke sample records it (the value as text, the scores).</summary>
    private static SmokeExpectation Expectation(Prediction p) =>
        new(p.Value switch { null => null, double d => d.ToString("R", CultureInfo.InvariantCulture), bool b => b ? "true" : "false", var v => v.ToString() }, p.Scores);

    /// <summary>The converter's package version (its assembly's informational version, without the commit).</summary>
    public static string ConverterVersion { get; } = "Microsoft.ML.OnnxConverter " + (typeof(Microsoft.ML.OnnxExportExtensions).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?");

    private static OnnxRowComparison Compare(int row, SmokeExpectation got, SmokeExpectation expected)
    {
        var sameValue = got.Value == expected.Value
            || (double.TryParse(got.Value, CultureInfo.InvariantCulture, out var a) && double.TryParse(expected.Value, CultureInfo.InvariantCulture, out var b) && Within(a, b));
        var difference = 0.0;
        var sameScores = got.Scores is null == expected.Scores is null;
        foreach (var (name, score) in expected.Scores ?? new Dictionary<string, double>())
        {
            if (got.Scores?.TryGetValue(name, out var other) != true) { sameScores = false; continue; }
            difference = Math.Max(difference, Math.Abs(other - score));
            sameScores &= Within(other, score);
        }
        if (expected.Scores is null && double.TryParse(got.Value, CultureInfo.InvariantCulture, out var g) && double.TryParse(expected.Value, CultureInfo.InvariantCulture, out var e))
            difference = Math.Abs(g - e);
        return new OnnxRowComparison(row, expected.Value, got.Value, difference, sameValue && sameScores);
    }

    private static bool Within(double a, double b) => Math.Abs(a - b) <= Tolerance * Math.Max(1, Math.Abs(b));
}
