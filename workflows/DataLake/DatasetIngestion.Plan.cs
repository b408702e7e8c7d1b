using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.DataLake;

/// <summary>
/// A row range of a version, curated by one activity ([FirstRow, EndRow), 1-based); for CSV, where its first row
/// starts in the file (null when unknown: the chunk reads from the start and skips the rows before it).
/// </summary>
public sealed record ChunkRange(long FirstRow, long EndRow, TextStart? Start = null);

/// <summary>
/// What the first pass found, stored next to the report (not passed as a payload): the columns and their types, the
/// histogram edges every chunk uses, the expectations in force, the chunks, and the rows that duplicates remove or
/// that repeat a key.
/// </summary>
public sealed record IngestionPlan(
    IReadOnlyList<string> Columns, IReadOnlyList<string> Types, IReadOnlyList<int> Distinct,
    IReadOnlyList<IReadOnlyList<double>?> Edges, DatasetExpectations Expectations, string? Label,
    IReadOnlyList<ChunkRange> Chunks, long Rows, long DuplicateRows, IReadOnlyList<long> Removed,
    IReadOnlyDictionary<long, long> KeyViolations, double PlanSeconds);

public sealed partial class DatasetIngestion
{
    private const int HistogramBins = 20;

    /// <summary>
    /// First pass: reads the raw file once (streaming) to find its columns and types, value ranges (histogram edges),
    /// duplicate rows and repeated keys, and splits it in chunks. Fails the version at once for a file-level problem
    /// (unreadable, no rows, the label or a required column missing).
    /// </summary>
    public async Task<IngestionPlanResult> PlanAsync(IngestionInput input, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var version = await RequireVersionAsync(input.Project, input.Dataset, input.Version, ct);
        if (version.Status != DatasetStatus.Pending) return new IngestionPlanResult(Recorded(version), 0);

        var project = await projectStore.GetProjectAsync(input.Project, ct);
        var dataset = await datasetStore.GetDatasetAsync(input.Project, input.Dataset, ct);
        var expectations = EffectiveExpectations(dataset, project?.Label);

        var shape = RecordSource.Discover();
        var evidence = new List<TypeEvidence>();
        var keyColumns = expectations.Key ?? [];
        var mode = expectations.Deduplicate ?? DeduplicateMode.None;
        var rowHashes = new HashSet<ulong>();
        var keyFirstRow = new Dictionary<ulong, long>();
        var removed = new List<long>();
        var keyViolations = new Dictionary<long, long>();
        long rows = 0, duplicates = 0;
        int[]? keyIndexes = null;
        var boundaries = new List<long>();
        var starts = new Dictionary<long, TextStart>();
        var unreadable = new List<QuarantinedRow>();
        try
        {
            await using var stream = await OpenRawAsync(version, ct);
            long lastBoundary = 1;
            var records = RecordSource.ReadAsync(stream, version.Format, shape, ct: ct);
            // CSV has its columns before the first row: parsing overlaps with the profiling below. Not Parquet: its
            // reader holds a whole row group, and reading ahead can hold two (the test host's peak once passed 1 GiB on flights-3m).
            if (version.Format is DataFormat.Csv) records = RecordSource.ReadAheadAsync(records, ct);
            await foreach (var record in records.WithCancellation(ct))
            {
                rows = record.Row;
                if (record.Row - lastBoundary >= options.Value.ChunkRows && version.Format != DataFormat.Parquet)
                {
                    boundaries.Add(record.Row);
                    lastBoundary = record.Row;
                    if (record.Offset >= 0) starts[record.Row] = new TextStart(record.Offset, record.Line, record.Row);
                }
                if (record.Cells is null)
                {
                    if (unreadable.Count < 20) unreadable.Add(new QuarantinedRow(record.Row, "*", record.Error ?? "unreadable row"));
                    continue;
                }
                while (evidence.Count < shape.Columns.Count) evidence.Add(new TypeEvidence());
                var cells = record.Cells;
                for (var c = 0; c < cells.Length; c++)
                {
                    cells[c] = TabularReader.Normalize(cells[c]);
                    if (cells[c] is { } value) evidence[c].Add(value);
                }

                var rowHash = RowHash(cells, null);
                if (!rowHashes.Add(rowHash))
                {
                    duplicates++;
                    if (mode == DeduplicateMode.Row) { removed.Add(record.Row); continue; }
                }
                if (keyColumns.Count > 0)
                {
                    keyIndexes ??= keyColumns.Select(k => shape.Columns.ToList().IndexOf(k)).ToArray();
                    if (keyIndexes.Any(i => i < 0)) continue; // a missing key column is reported below
                    var keyHash = RowHash(cells, keyIndexes);
                    if (!keyFirstRow.TryAdd(keyHash, record.Row))
                    {
                        if (mode == DeduplicateMode.Key) removed.Add(record.Row);
                        else keyViolations[record.Row] = keyFirstRow[keyHash];
                    }
                }
            }
            if (version.Format == DataFormat.Parquet)
                boundaries = await ParquetBoundariesAsync(stream, ct);
        }
        catch (InvalidDataFileException e)
        {
            return new IngestionPlanResult(await FailAsync(version with { RowsIn = rows }, e.Message, ct), 0);
        }

        var columns = shape.Columns;
        while (evidence.Count < columns.Count) evidence.Add(new TypeEvidence());
        version = version with { RowsIn = rows };
        string Listed(IEnumerable<string> names) => string.Join(", ", names.Select(c => $"'{c}'"));
        if (rows == 0)
            return new IngestionPlanResult(await FailAsync(version, columns.Count > 0 ? "The file has a header but no data rows." : "The file has no rows.", ct), 0);
        if (columns.Count == 0)
            return new IngestionPlanResult(await FailAsync(version,
                $"No row could be read; first: row {unreadable[0].Row}: {unreadable[0].Reason}.", ct, unreadable), 0);
        if (project?.Label is { } label && !columns.Contains(label))
            return new IngestionPlanResult(await FailAsync(version,
                $"The label column '{label}' is missing; the file has columns {Listed(columns)}.", ct,
                [new QuarantinedRow(0, label, "the label column is missing")]), 0);
        var missing = (expectations.RequiredColumns ?? []).Concat(keyColumns).Where(c => !columns.Contains(c)).Distinct().ToList();
        if (missing.Count > 0)
            return new IngestionPlanResult(await FailAsync(version,
                $"Required column(s) {Listed(missing)} missing (expected {(dataset?.Expectations?.RequiredColumns is null ? "from the dataset's first version" : "by the dataset's expectations")}); the file has columns {Listed(columns)}.", ct,
                missing.Select(c => new QuarantinedRow(0, c, "required column missing")).ToList()), 0);

        var types = columns.Select((name, c) => expectations.For(name)?.Type ?? evidence[c].InferType()).ToList();
        var edges = types.Select<string, IReadOnlyList<double>?>((type, c) =>
            evidence[c].Range(type) is { } range ? ColumnStatsBuilder.Edges(range.Min, range.Max, HistogramBins) : null).ToList();

        var chunks = new List<ChunkRange>();
        var first = 1L;
        foreach (var boundary in boundaries.Where(b => b > 1 && b <= rows))
        {
            chunks.Add(new ChunkRange(first, boundary, starts.GetValueOrDefault(first)));
            first = boundary;
        }
        chunks.Add(new ChunkRange(first, rows + 1, starts.GetValueOrDefault(first)));

        var plan = new IngestionPlan(columns.ToList(), types, evidence.Select(e => e.Distinct).ToList(), edges, expectations, project?.Label,
            chunks, rows, duplicates, removed, keyViolations, Stopwatch.GetElapsedTime(started).TotalSeconds);
        await WriteJsonAsync(StorageNames.ReportsContainer, VersionPath(input.Project, input.Dataset, input.Version, PlanFile), plan, ct);
        await datasetStore.PutDatasetVersionAsync(version, ct);
        return new IngestionPlanResult(null, chunks.Count, options.Value.ParallelChunks);
    }

    /// <summary>Chunk starts of a Parquet file: whole row groups, gathered until a chunk holds at least ChunkRows rows.</summary>
    /// <param name="stream">The raw file the first pass read (seekable: a local copy of the Parquet file).</param>
    /// <param name="ct">Cancels the read of the footer.</param>
    private async Task<List<long>> ParquetBoundariesAsync(Stream stream, CancellationToken ct)
    {
        var info = await ParquetTables.InspectAsync(stream, ct);
        var boundaries = new List<long>();
        long row = 1, inChunk = 0;
        foreach (var groupRows in info.RowGroupRows)
        {
            if (inChunk >= options.Value.ChunkRows) { boundaries.Add(row); inChunk = 0; }
            row += groupRows;
            inChunk += groupRows;
        }
        return boundaries;
    }

    /// <summary>
    /// A 64-bit hash of normalized cells (all, or those at <paramref name="indexes"/>): duplicates by value. Four
    /// characters per multiply (the hashes live only in this pass, so any good mix will do); a cell's length ends it.
    /// </summary>
    private static ulong RowHash(string?[] cells, int[]? indexes)
    {
        const ulong multiplier = 0x9E3779B97F4A7C15UL;
        static ulong Mix(ulong hash, ulong value) => BitOperations.RotateLeft((hash ^ value) * multiplier, 29);
        var hash = 14695981039346656037UL;
        var count = indexes?.Length ?? cells.Length;
        if (indexes is null)
            while (count > 0 && cells[count - 1] is null) count--; // JSON rows read before a column appeared are shorter
        for (var i = 0; i < count; i++)
        {
            var c = indexes is null ? i : indexes[i];
            var value = c < cells.Length ? cells[c] : null;
            if (value is null)
            {
                hash = Mix(hash, ulong.MaxValue); // with no length marker after it: null differs from every string
                continue;
            }
            var chars = value.AsSpan();
            var words = MemoryMarshal.Cast<char, ulong>(chars);
            foreach (var word in words) hash = Mix(hash, word);
            for (var k = words.Length * 4; k < chars.Length; k++) hash = Mix(hash, chars[k]);
            hash = Mix(hash, (ulong)chars.Length << 32 | 0x1F);
        }
        return hash;
    }
}
