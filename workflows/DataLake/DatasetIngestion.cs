using System.Security.Cryptography;
using System.Text;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.DataLake;

/// <summary>
/// Turns a raw upload into a curated dataset version: parse, infer the schema, quarantine rows that fail type checks,
/// write curated data, quarantine and a data-quality report, and mark the version Ready (or Failed with the reason).
/// The raw blob is never changed. Running it again on a Ready version returns the recorded result.
/// </summary>
public sealed class DatasetIngestion(LakeStore lake, MetadataStore metadata, TimeProvider clock)
{
    public const string CuratedFile = "data.csv";
    public const string SchemaFile = "schema.json";
    public const string ReportFile = "quality.json";
    public const string QuarantineFile = "rows.jsonl";

    public async Task<IngestionOutput> IngestAsync(IngestionInput input, CancellationToken ct = default)
    {
        var version = await metadata.GetDatasetVersionAsync(input.Project, input.Dataset, input.Version, ct)
            ?? throw new InvalidOperationException($"Dataset {input.Project}/{input.Dataset} has no version {input.Version}.");
        if (version.Status == DatasetStatus.Ready)
            return new IngestionOutput(true, null, version.RowsIn, version.RowsOut, version.RowsQuarantined);
        if (version.Status == DatasetStatus.Failed)
            return new IngestionOutput(false, version.Error, version.RowsIn, version.RowsOut, version.RowsQuarantined);

        var project = await metadata.GetProjectAsync(input.Project, ct);
        var raw = await lake.DownloadBytesAsync(StorageNames.RawContainer, version.RawBlob, ct);
        var hash = Convert.ToHexStringLower(SHA256.HashData(raw));

        TabularData table;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            table = TabularReader.Read(stream, version.Format);
        }
        catch (InvalidDataFileException e)
        {
            return await FailAsync(version with { ContentHash = hash }, e.Message, ct);
        }

        var label = project?.Label;
        if (label is not null && table.IndexOf(label) < 0)
            return await FailAsync(version with { ContentHash = hash, RowsIn = table.Rows.Count },
                $"The label column '{label}' is missing; the file has columns {string.Join(", ", table.Columns.Select(c => $"'{c}'"))}.", ct);

        var result = DatasetCurator.Curate(table, label);
        var path = (string file) => LakeStore.DatasetPath(input.Project, input.Dataset, input.Version, file);
        var report = new DataQualityReport(input.Project, input.Dataset, input.Version, version.Format, hash,
            table.Rows.Count, result.Curated.Rows.Count, result.RowsQuarantined, result.Schema,
            result.Quarantined.Take(100).ToList(), clock.GetUtcNow());
        await lake.UploadBytesAsync(StorageNames.ReportsContainer, path(ReportFile), Encoding.UTF8.GetBytes(Json.Serialize(report)), "application/json", ct);
        if (result.Quarantined.Count > 0)
        {
            var lines = string.Join('\n', result.Quarantined.Select(Json.Serialize));
            await lake.UploadBytesAsync(StorageNames.QuarantineContainer, path(QuarantineFile), Encoding.UTF8.GetBytes(lines), "application/x-ndjson", ct);
        }
        version = version with
        {
            ContentHash = hash, RowsIn = table.Rows.Count, RowsOut = result.Curated.Rows.Count,
            RowsQuarantined = result.RowsQuarantined, ReportBlob = path(ReportFile),
        };

        if (result.Curated.Rows.Count == 0)
            return await FailAsync(version, "No row passed the type checks; see the quarantine in the data-quality report.", ct);
        if (result.RowsQuarantined > DatasetCurator.MaxQuarantineShare * table.Rows.Count)
            return await FailAsync(version, $"{result.RowsQuarantined} of {table.Rows.Count} rows failed the type checks (more than {DatasetCurator.MaxQuarantineShare:P0}); first: row {result.Quarantined[0].Row}, column '{result.Quarantined[0].Column}': {result.Quarantined[0].Reason}.", ct);

        await lake.UploadBytesAsync(StorageNames.CuratedContainer, path(CuratedFile), Encoding.UTF8.GetBytes(ToCsv(result.Curated)), "text/csv", ct);
        await lake.UploadBytesAsync(StorageNames.CuratedContainer, path(SchemaFile), Encoding.UTF8.GetBytes(Json.Serialize(result.Schema)), "application/json", ct);
        await metadata.PutDatasetVersionAsync(version with { Status = DatasetStatus.Ready, CuratedBlob = path(CuratedFile) }, ct);
        return new IngestionOutput(true, null, version.RowsIn, version.RowsOut, version.RowsQuarantined);
    }

    private async Task<IngestionOutput> FailAsync(DatasetVersionInfo version, string error, CancellationToken ct)
    {
        await metadata.PutDatasetVersionAsync(version with { Status = DatasetStatus.Failed, Error = error }, ct);
        return new IngestionOutput(false, error, version.RowsIn, version.RowsOut, version.RowsQuarantined);
    }

    public static string ToCsv(TabularData table)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', table.Columns.Select(TabularReader.Escape)).Append('\n');
        foreach (var row in table.Rows)
            text.AppendJoin(',', row.Select(TabularReader.Escape)).Append('\n');
        return text.ToString();
    }

    // Curated versions never change and every trial, fold and model card of a run reads the same one: keep a few recent
    // versions in memory (callers only read them) instead of downloading and parsing per activity.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<(TabularData Data, DatasetSchema Schema)>>> _curated = new();
    private const int CuratedVersionsKept = 4;

    /// <summary>Reads a Ready version's curated rows and schema (cached per worker; treat the result as read-only).</summary>
    public async Task<(TabularData Data, DatasetSchema Schema)> ReadCuratedAsync(string project, string dataset, int version, CancellationToken ct = default)
    {
        var key = LakeStore.DatasetPath(project, dataset, version, "");
        if (_curated.Count >= CuratedVersionsKept && !_curated.ContainsKey(key)) _curated.Clear();
        var cached = _curated.GetOrAdd(key, _ => new Lazy<Task<(TabularData, DatasetSchema)>>(() => DownloadCuratedAsync(project, dataset, version)));
        try
        {
            return await cached.Value.WaitAsync(ct);
        }
        catch (Exception) when (cached.Value.IsFaulted)
        {
            _curated.TryRemove(key, out _); // a failed read is not remembered
            throw;
        }
    }

    private async Task<(TabularData Data, DatasetSchema Schema)> DownloadCuratedAsync(string project, string dataset, int version)
    {
        var ct = CancellationToken.None; // shared by every caller: none of them may cancel it for the others
        var schemaJson = await lake.DownloadBytesAsync(StorageNames.CuratedContainer, LakeStore.DatasetPath(project, dataset, version, SchemaFile), ct);
        await using var stream = await lake.OpenReadAsync(StorageNames.CuratedContainer, LakeStore.DatasetPath(project, dataset, version, CuratedFile), ct);
        return (TabularReader.ReadCsv(stream), Json.Deserialize<DatasetSchema>(Encoding.UTF8.GetString(schemaJson)));
    }
}
