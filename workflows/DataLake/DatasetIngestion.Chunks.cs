using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.DataLake;

/// <summary>What one chunk produced: counts, cleaning, statistics per column, and the first quarantined rows.</summary>
public sealed record ChunkReport(
    int Chunk, long RowsIn, long RowsOut, long RowsQuarantined, CleaningCounts Cleaning,
    IReadOnlyList<ColumnStats> Stats, IReadOnlyList<QuarantinedRow> Sample, double Seconds);

/// <summary>A quarantined row as the quarantine zone keeps it (JSON Lines): where, why, and the values as received.</summary>
public sealed record QuarantineEntry(long Row, long? Line, IReadOnlyList<QuarantineReason> Reasons, IReadOnlyDictionary<string, string?>? Values);

/// <summary>One failed check of a quarantined row.</summary>
public sealed record QuarantineReason(string Column, string Reason);

public sealed partial class DatasetIngestion
{
    private const int SampleSize = 100;

    /// <summary>
    /// Curates one chunk: cleans each row (trim, missing-value tokens, type coercion), drops removed duplicates, checks
    /// the expectations (type, not-null, range, allowed values, unique key), writes the passing rows as a curated
    /// Parquet part and the others, with every reason, as a quarantine part; statistics go to a chunk report.
    /// </summary>
    public async Task<ChunkOutput> CurateChunkAsync(ChunkInput input, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var version = await RequireVersionAsync(input.Project, input.Dataset, input.Version, ct);
        var path = (string file) => VersionPath(input.Project, input.Dataset, input.Version, file);
        var plan = await ReadJsonAsync<IngestionPlan>(StorageNames.ReportsContainer, path(PlanFile), ct);
        var range = plan.Chunks[input.Chunk];
        var columns = plan.Columns;
        var schema = new DatasetSchema(columns.Select((name, c) => new ColumnSchema(name, plan.Types[c], true, plan.Distinct[c])).ToList());
        var checks = columns.Select(name => plan.Expectations.For(name) ?? new ColumnExpectation()).ToArray();
        var allowed = checks.Select(e => e.AllowedValues is { } values ? new HashSet<string>(values, StringComparer.Ordinal) : null).ToArray();
        var removed = plan.Removed.Where(r => r >= range.FirstRow && r < range.EndRow).ToHashSet();
        var keyColumns = string.Join(", ", plan.Expectations.Key ?? []);
        var labelIndex = plan.Label is null ? -1 : columns.ToList().IndexOf(plan.Label);
        var stats = columns.Select((name, c) => new ColumnStatsBuilder(name, plan.Types[c], plan.Edges[c])).ToArray();

        long rowsIn = 0, rowsOut = 0, quarantined = 0, trimmed = 0, missingTokens = 0, coerced = 0, duplicatesRemoved = 0, keyViolations = 0;
        var sample = new List<QuarantinedRow>();
        var curatedFile = Path.Combine(Path.GetTempPath(), $"curate-{Guid.NewGuid():N}.parquet");
        var quarantineFile = Path.Combine(Path.GetTempPath(), $"quarantine-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var curatedStream = File.Create(curatedFile))
            await using (var writer = await ParquetTables.CreateWriterAsync(curatedStream, schema, options.Value.RowGroupRows, ct))
            await using (var quarantineStream = new StreamWriter(File.Create(quarantineFile), new UTF8Encoding(false)))
            await using (var raw = await OpenRawAsync(version, ct))
            {
                var reasons = new List<QuarantineReason>();
                var output = new string?[columns.Count];
                // What coercion parsed, handed to the checks, the Parquet writer and the statistics: one parse per value.
                var numbers = new double[columns.Count];
                var dates = new DateTime[columns.Count];
                await foreach (var record in RecordSource.ReadAsync(raw, version.Format, RecordSource.WithColumns(columns), range.FirstRow, range.EndRow, range.Start, ct))
                {
                    rowsIn++;
                    reasons.Clear();
                    if (record.Cells is null)
                    {
                        reasons.Add(new QuarantineReason("*", record.Error ?? "unreadable row"));
                        await QuarantineAsync(record, null);
                        continue;
                    }
                    if (removed.Contains(record.Row)) { duplicatesRemoved++; continue; }
                    if (plan.KeyViolations.TryGetValue(record.Row, out var firstRow))
                    {
                        keyViolations++;
                        reasons.Add(new QuarantineReason(keyColumns, $"duplicate key (first seen at row {firstRow})"));
                    }
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var source = c < record.Cells.Length ? record.Cells[c] : null;
                        var value = TabularReader.Normalize(source);
                        if (source is not null && value is null && source.Trim().Length > 0) missingTokens++;
                        else if (value is not null && value.Length != source!.Length) trimmed++;
                        output[c] = null;
                        var check = checks[c];
                        if (value is null)
                        {
                            if (check.NotNull == true)
                                reasons.Add(new QuarantineReason(columns[c], c == labelIndex ? "the label is missing" : "missing (expected a value)"));
                            continue;
                        }
                        var canonical = DatasetCurator.Coerce(value, plan.Types[c], out numbers[c], out dates[c]);
                        if (canonical is null)
                        {
                            reasons.Add(new QuarantineReason(columns[c], $"'{DatasetCurator.Truncate(value)}' is not a {plan.Types[c]}"));
                            continue;
                        }
                        if (!ReferenceEquals(canonical, value) && canonical != value) coerced++;
                        if (RangeProblem(canonical, numbers[c], plan.Types[c], check) is { } problem) reasons.Add(new QuarantineReason(columns[c], problem));
                        else if (allowed[c] is { } set && !set.Contains(canonical))
                            reasons.Add(new QuarantineReason(columns[c], $"'{DatasetCurator.Truncate(canonical)}' is not one of the allowed values ({string.Join(", ", set.Take(10))}{(set.Count > 10 ? ", …" : "")})"));
                        output[c] = canonical;
                    }
                    if (reasons.Count > 0)
                    {
                        await QuarantineAsync(record, record.Cells);
                        continue;
                    }
                    await writer.AddAsync(output, numbers, dates, ct);
                    for (var c = 0; c < columns.Count; c++) stats[c].Add(output[c], numbers[c]);
                    rowsOut++;
                }

                async Task QuarantineAsync(SourceRecord record, string?[]? cells)
                {
                    quarantined++;
                    foreach (var reason in reasons)
                        if (sample.Count < SampleSize) sample.Add(new QuarantinedRow(record.Row, reason.Column, reason.Reason));
                    var values = cells is null ? null : columns.Select((name, c) => (name, value: c < cells.Length ? cells[c] : null))
                        .ToDictionary(x => x.name, x => x.value, StringComparer.Ordinal);
                    var entry = new QuarantineEntry(record.Row, record.Line > 0 ? record.Line : null, reasons.ToList(), values);
                    await quarantineStream.WriteLineAsync(JsonSerializer.Serialize(entry, Json.Options).AsMemory(), ct);
                }
            }

            // Keyed outputs: a retried chunk overwrites its own part.
            if (rowsOut > 0)
                await using (var curated = File.OpenRead(curatedFile))
                    await lake.UploadAsync(StorageNames.CuratedContainer, path(PartName(input.Chunk, "parquet")), curated, "application/vnd.apache.parquet", overwrite: true, ct);
            if (quarantined > 0)
                await using (var rejected = File.OpenRead(quarantineFile))
                    await lake.UploadAsync(StorageNames.QuarantineContainer, path(PartName(input.Chunk, "jsonl")), rejected, "application/x-ndjson", overwrite: true, ct);
        }
        finally
        {
            File.Delete(curatedFile);
            File.Delete(quarantineFile);
        }

        var report = new ChunkReport(input.Chunk, rowsIn, rowsOut, quarantined,
            new CleaningCounts(trimmed, missingTokens, coerced, 0, duplicatesRemoved, keyViolations),
            stats.Select(s => s.ToStats()).ToList(), sample, Stopwatch.GetElapsedTime(started).TotalSeconds);
        await WriteJsonAsync(StorageNames.ReportsContainer, path($"chunks/{PartName(input.Chunk, "json")}"), report, ct);
        return new ChunkOutput(input.Chunk, rowsIn, rowsOut, quarantined);
    }

    /// <summary>The value's problem with the column's declared range, or null; <paramref name="value"/> is what coercion parsed (a date's days since 1970-01-01).</summary>
    private static string? RangeProblem(string canonical, double value, string type, ColumnExpectation check)
    {
        if (check.Min is null && check.Max is null) return null;
        if (type is not (ColumnType.Number or ColumnType.Date)) return null;
        string Show(double bound) => type == ColumnType.Date
            ? DateTime.UnixEpoch.AddDays(bound).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : bound.ToString(CultureInfo.InvariantCulture);
        if (check.Min is { } min && value < min) return $"{canonical} is below the minimum {Show(min)}";
        if (check.Max is { } max && value > max) return $"{canonical} is above the maximum {Show(max)}";
        return null;
    }
}
