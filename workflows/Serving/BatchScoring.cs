using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Serving;

/// <summary>Which rows of a dataset version a batch scores: all of them, or only those training left out for want of a label.</summary>
public static class BatchRows
{
    public const string All = "all";
    public const string Unlabelled = "unlabelled";

    public static readonly IReadOnlyList<string> Choices = [All, Unlabelled];
}

/// <summary>What a batch scores, with what, for whom: the orchestration's input (small, no rows).</summary>
public sealed record BatchScoringInput(
    string BatchId, string Project, int ModelVersion, string Dataset, int DatasetVersion, string Rows, string? By, DateTimeOffset RequestedAt);

/// <summary>One curated part of the version to score (by its index in row order).</summary>
public sealed record BatchPartInput(BatchScoringInput Batch, int Part);

/// <summary>
/// What one part gave: rows read, rows scored (the others were not asked for), the output blob (none when nothing was
/// scored), or why the part could not be scored (a value the model cannot read, naming row and column); the columns
/// the part added to each row.
/// </summary>
public sealed record BatchPartResult(int Part, long RowsRead, long RowsScored, string? Output,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Columns = null);

/// <summary>What the last step of a batch is given: the batch and what each part gave.</summary>
public sealed record FinishBatchInput(BatchScoringInput Batch, IReadOnlyList<BatchPartResult> Parts);

/// <summary>How far a batch is: the orchestration's custom status while it runs.</summary>
public sealed record BatchProgress(int PartsTotal, int PartsDone, long RowsRead, long RowsScored);

/// <summary>The manifest of a finished batch (<c>predictions/batch/{id}/manifest.json</c>): what was scored and where the output is.</summary>
public sealed record BatchManifest(
    BatchScoringInput Batch, string Status, int PartsTotal, long RowsRead, long RowsScored, string OutputPrefix,
    IReadOnlyList<BatchPartResult> Parts, IReadOnlyList<string> PredictionColumns, string? Error, DateTimeOffset CompletedAt);

/// <summary>Status of a batch as its manifest records it.</summary>
public static class BatchStatus
{
    public const string Completed = "Completed";
    public const string Failed = "Failed";
}

/// <summary>
/// ML engineering: scores a whole curated dataset version with a model version, one curated Parquet part per activity.
/// A part is read a row group at a time and scored in batches of <see cref="ScoreRows"/> rows, and its output — the
/// part's rows with the prediction columns — is written as one Parquet part keyed by the part's index, so a retried
/// activity overwrites its own output and memory stays bounded by a row group whatever the version's size.
/// </summary>
public sealed class BatchScorer(LakeStore lake, ModelStore modelStore, ModelCache models, DatasetIngestion ingestion, LineageStore lineage, TimeProvider clock)
{
    /// <summary>Rows scored per call of the model (one pipeline each).</summary>
    public const int ScoreRows = 4096;

    /// <summary>Rows per row group of the output parts.</summary>
    public const int OutputRowGroupRows = 50_000;

    public const string ManifestFile = "manifest.json";

    /// <summary>Where a batch's output lives in the <c>predictions</c> container.</summary>
    public static string OutputPrefix(string batchId) => $"batch/{Names.RequireId(batchId, "batch")}/";

    public static string PartPath(string batchId, int part) => OutputPrefix(batchId) + $"part-{part.ToString("D5", CultureInfo.InvariantCulture)}.parquet";

    /// <summary>The curated parts of the version to score, in row order.</summary>
    public Task<List<string>> PartsAsync(BatchScoringInput batch, CancellationToken ct = default) =>
        ingestion.CuratedPartsAsync(batch.Project, batch.Dataset, batch.DatasetVersion, ct);

    /// <summary>
    /// The columns a batch adds to each row: <c>prediction</c>, and per class <c>score_{class}</c> (multiclass) or
    /// <c>probability</c> (binary); a name the dataset already uses gets a leading underscore until it is free.
    /// </summary>
    public static IReadOnlyList<ColumnSchema> PredictionColumns(FeatureFrame frame, IReadOnlyList<string> classes, DatasetSchema schema)
    {
        var taken = new HashSet<string>(schema.Columns.Select(c => c.Name), StringComparer.Ordinal);
        string Free(string name)
        {
            while (!taken.Add(name)) name = "_" + name;
            return name;
        }
        var columns = new List<ColumnSchema>();
        switch (frame.Task)
        {
            case MlTask.Multiclass:
                columns.Add(new ColumnSchema(Free("prediction"), ColumnType.Categorical, true, classes.Count));
                columns.AddRange(classes.Select(c => new ColumnSchema(Free("score_" + c), ColumnType.Number, true, 0)));
                break;
            case MlTask.Binary:
                columns.Add(new ColumnSchema(Free("prediction"), ColumnType.Boolean, true, 2));
                columns.Add(new ColumnSchema(Free("probability"), ColumnType.Number, true, 0));
                break;
            default:
                columns.Add(new ColumnSchema(Free("prediction"), ColumnType.Number, true, 0));
                break;
        }
        return columns;
    }

    /// <summary>Scores one curated part and writes its output part (overwriting what a failed attempt left).</summary>
    public async Task<BatchPartResult> ScorePartAsync(BatchPartInput input, CancellationToken ct = default)
    {
        var batch = input.Batch;
        var model = await modelStore.GetModelVersionAsync(batch.Project, batch.ModelVersion, ct)
            ?? throw new InvalidOperationException($"Project '{batch.Project}' has no model version {batch.ModelVersion}.");
        var loaded = await models.GetAsync(model);
        var schema = await ReadSchemaAsync(batch, ct);
        var parts = await PartsAsync(batch, ct);
        if (input.Part < 0 || input.Part >= parts.Count)
            throw new InvalidOperationException($"Version {batch.DatasetVersion} of {batch.Project}/{batch.Dataset} has no curated part {input.Part}.");

        var file = Path.Combine(Path.GetTempPath(), $"batch-{Guid.NewGuid():N}.parquet");
        CuratedParquetWriter? writer = null;
        IReadOnlyList<string> columns = [];
        try
        {
            long read = 0, scored = 0;
            await using (var output = File.Create(file))
            await using (var source = await lake.OpenReadAsync(StorageNames.CuratedContainer, parts[input.Part], ct))
            {
                var info = await ParquetTables.InspectAsync(source, ct);
                var index = info.Columns.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
                var label = index.GetValueOrDefault(loaded.Frame.Label, -1);
                var onlyUnlabelled = batch.Rows == BatchRows.Unlabelled;
                var pending = new List<string?[]>(ScoreRows);
                List<string> classes = [];

                await foreach (var row in ParquetTables.ReadRowsAsync(source, 0, info.RowGroupRows.Count, ct))
                {
                    read++;
                    // Without the label column every row is unlabelled.
                    if (onlyUnlabelled && label >= 0 && !LabelledRows.IsUnlabelled(row, label)) continue;
                    pending.Add(row);
                    if (pending.Count == ScoreRows && await FlushAsync() is { } error) return error;
                }
                if (pending.Count > 0 && await FlushAsync() is { } last) return last;
                if (writer is not null) await writer.DisposeAsync();

                async Task<BatchPartResult?> FlushAsync()
                {
                    IReadOnlyList<Prediction> predictions;
                    try
                    {
                        predictions = loaded.PredictWithLoader(pending.Select(r => (IReadOnlyDictionary<string, string?>)new RowView(index, r)).ToList());
                    }
                    catch (InvalidDataFileException e)
                    {
                        // The model cannot read a value: the part fails naming the row (counted in this batch of the part) and column.
                        return new BatchPartResult(input.Part, read, scored, null, $"Part {input.Part.ToString(CultureInfo.InvariantCulture)} after {scored.ToString(CultureInfo.InvariantCulture)} scored rows: {e.Message}");
                    }
                    if (writer is null)
                    {
                        // The classes come from the model's answer (its score slots), so the output's columns follow the first batch.
                        if (loaded.Frame.Task == MlTask.Multiclass) classes = [.. predictions[0].Scores!.Keys];
                        var added = PredictionColumns(loaded.Frame, classes, schema);
                        columns = added.Select(c => c.Name).ToList();
                        writer = await ParquetTables.CreateWriterAsync(output, new DatasetSchema([.. schema.Columns, .. added]), OutputRowGroupRows, ct);
                    }
                    for (var i = 0; i < pending.Count; i++)
                        await writer.AddAsync([.. pending[i], .. Cells(predictions[i], loaded.Frame.Task, classes)], ct);
                    scored += pending.Count;
                    pending.Clear();
                    return null;
                }
            }
            var path = PartPath(batch.BatchId, input.Part);
            if (scored == 0)
            {
                await lake.DeleteIfExistsAsync(StorageNames.PredictionsContainer, path, ct);
                return new BatchPartResult(input.Part, read, 0, null);
            }
            await using (var written = File.OpenRead(file))
                await lake.UploadAsync(StorageNames.PredictionsContainer, path, written, "application/vnd.apache.parquet", overwrite: true, ct);
            return new BatchPartResult(input.Part, read, scored, path, Columns: columns);
        }
        finally
        {
            File.Delete(file); // a part that failed leaves its writer unfinished: nothing of it is uploaded
        }
    }

    /// <summary>
    /// Writes the manifest next to the output and records lineage (dataset version → batch ← model version); returns
    /// the manifest. Idempotent: a retry writes the same manifest and the same edges.
    /// </summary>
    public async Task<BatchManifest> FinishAsync(BatchScoringInput batch, IReadOnlyList<BatchPartResult> parts, CancellationToken ct = default)
    {
        var ordered = parts.OrderBy(p => p.Part).ToList();
        var error = ordered.FirstOrDefault(p => p.Error is not null)?.Error;
        var columns = ordered.FirstOrDefault(p => p.Columns is not null)?.Columns ?? [];
        var manifest = new BatchManifest(batch, error is null ? BatchStatus.Completed : BatchStatus.Failed, ordered.Count,
            ordered.Sum(p => p.RowsRead), ordered.Sum(p => p.RowsScored), OutputPrefix(batch.BatchId), ordered, columns, error, clock.GetUtcNow());
        await lake.UploadBytesAsync(StorageNames.PredictionsContainer, OutputPrefix(batch.BatchId) + ManifestFile,
            System.Text.Encoding.UTF8.GetBytes(Json.Serialize(manifest)), "application/json", ct);
        await lineage.RecordAsync(LineageEdges.BatchScored(batch, manifest.Status, manifest.RowsScored), ct);
        return manifest;
    }

    /// <summary>The manifest of a finished batch, or null before it is written.</summary>
    public async Task<BatchManifest?> ReadManifestAsync(string batchId, CancellationToken ct = default)
    {
        var path = OutputPrefix(batchId) + ManifestFile;
        if (!await lake.ExistsAsync(StorageNames.PredictionsContainer, path, ct)) return null;
        return Json.Deserialize<BatchManifest>(System.Text.Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.PredictionsContainer, path, ct)));
    }

    /// <summary>The curated schema of the version a batch scores.</summary>
    public async Task<DatasetSchema> ReadSchemaAsync(BatchScoringInput batch, CancellationToken ct = default)
    {
        var bytes = await lake.DownloadBytesAsync(StorageNames.CuratedContainer,
            LakeStore.DatasetPath(batch.Project, batch.Dataset, batch.DatasetVersion, DatasetIngestion.SchemaFile), ct);
        return Json.Deserialize<DatasetSchema>(System.Text.Encoding.UTF8.GetString(bytes));
    }

    private static IEnumerable<string?> Cells(Prediction prediction, string task, IReadOnlyList<string> classes)
    {
        switch (task)
        {
            case MlTask.Multiclass:
                yield return prediction.Value as string;
                foreach (var c in classes) yield return Number(prediction.Scores![c]);
                break;
            case MlTask.Binary:
                yield return prediction.Value is true ? "true" : "false";
                yield return Number(prediction.Scores!["true"]);
                break;
            default:
                yield return Number((double)prediction.Value!);
                break;
        }
    }

    private static string? Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : null;

    /// <summary>A curated row seen as source column → value, without copying it (the scorer's input shape).</summary>
    private sealed class RowView(Dictionary<string, int> index, string?[] row) : IReadOnlyDictionary<string, string?>
    {
        public string? this[string key] => row[index[key]];
        public IEnumerable<string> Keys => index.Keys;
        public IEnumerable<string?> Values => index.Values.Select(i => row[i]);
        public int Count => index.Count;
        public bool ContainsKey(string key) => index.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
        {
            var found = index.TryGetValue(key, out var i);
            value = found ? row[i] : null;
            return found;
        }

        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => index.Select(p => KeyValuePair.Create(p.Key, row[p.Value])).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
