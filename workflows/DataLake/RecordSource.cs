using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

namespace Orchestrator.Workflows.DataLake;

/// <summary>
/// One record of a source file: its 1-based data row number, the line it starts on (text formats), and either its
/// cells (in the order of <see cref="RecordSource.Columns"/>; shorter arrays mean the rest are missing) or why the
/// record cannot be read (quarantined, not fatal).
/// </summary>
public readonly record struct SourceRecord(long Row, long Line, string?[]? Cells, string? Error);

/// <summary>
/// Streams the records of a source file (CSV, JSON array, JSON Lines, Parquet) without holding the file in memory.
/// Problems of one record (a ragged CSV row, a JSON Lines line that is not an object) are reported on the record;
/// problems of the file (no header, an unclosed quote, JSON that is not an array) throw <see cref="InvalidDataFileException"/>.
/// For JSON the columns grow as keys appear; pass the columns found by a first pass to have every record aligned.
/// </summary>
public sealed class RecordSource
{
    private readonly List<string> _columns;
    private readonly Dictionary<string, int> _index;

    private RecordSource(IEnumerable<string> columns)
    {
        _columns = [.. columns];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _columns.Count; i++) _index.TryAdd(_columns[i], i);
    }

    /// <summary>Columns known so far (all of them once enumeration ends).</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>
    /// Enumerates records with row numbers in [<paramref name="firstRow"/>, <paramref name="endRow"/>) (1-based). Text
    /// formats read from the start and skip earlier rows; Parquet seeks to the row groups that hold the range.
    /// </summary>
    public static async IAsyncEnumerable<SourceRecord> ReadAsync(
        Stream stream, string format, RecordSource shape, long firstRow = 1, long endRow = long.MaxValue,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var records = format switch
        {
            DataFormat.Csv => shape.ReadCsvAsync(stream, firstRow, ct),
            DataFormat.Json => shape.ReadJsonArrayAsync(stream, ct),
            DataFormat.JsonLines => shape.ReadJsonLinesAsync(stream, ct),
            DataFormat.Parquet => shape.ReadParquetAsync(stream, firstRow, endRow, ct),
            _ => throw new InvalidDataFileException($"Unsupported format '{format}'."),
        };
        await foreach (var record in records.WithCancellation(ct))
        {
            if (record.Row < firstRow) continue;
            if (record.Row >= endRow) yield break;
            yield return record;
        }
    }

    /// <summary>A shape with no known columns (a first pass discovers them).</summary>
    public static RecordSource Discover() => new([]);

    /// <summary>A shape with the columns a first pass found, so records come aligned to them.</summary>
    public static RecordSource WithColumns(IEnumerable<string> columns) => new(columns);

    private int ColumnIndex(string name)
    {
        if (_index.TryGetValue(name, out var i)) return i;
        _columns.Add(name);
        _index[name] = _columns.Count - 1;
        return _columns.Count - 1;
    }

    private async IAsyncEnumerable<SourceRecord> ReadCsvAsync(Stream stream, long firstRow, [EnumeratorCancellation] CancellationToken ct)
    {
        // The decoder throws on invalid UTF-8 and drops a BOM before Sep sees the text.
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        string? firstLine;
        try { firstLine = await text.ReadLineAsync(ct); }
        catch (DecoderFallbackException) { throw new InvalidDataFileException("Line 1 is not valid UTF-8 text."); }
        if (firstLine is null || firstLine.Trim().Length == 0) throw new InvalidDataFileException("The file is empty: line 1 should be the header.");
        var delimiter = TabularReader.DetectDelimiter(firstLine) ?? ','; // no separator in the header: one column
        var header = TabularReader.HeaderNames(firstLine, delimiter);
        TabularReader.CheckHeader(header);
        // A header defines the columns; a discovering shape takes them, an aligned one maps them.
        var positions = header.Select(ColumnIndex).ToArray();

        // Sep reads the rest, from line 2; its line numbers count from there.
        var next = new CsvPosition();
        SepReader csv;
        try { csv = await TabularReader.Csv(delimiter).FromAsync(text, ct); }
        catch (DecoderFallbackException) { throw new InvalidDataFileException("Line 2 is not valid UTF-8 text."); }
        using (csv)
        {
            while (true)
            {
                bool more;
                try { more = await csv.MoveNextAsync(ct); }
                catch (DecoderFallbackException) { throw new InvalidDataFileException($"Line {next.Line} is not valid UTF-8 text."); }
                if (!more) yield break;
                if (CsvRecord(csv.Current, header.Count, positions, next, firstRow) is { } record) yield return record;
                if ((next.Row & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Where the CSV reader is: the data rows counted so far and the file line the next row starts on.</summary>
    private sealed class CsvPosition
    {
        public long Row { get; set; }
        public long Line { get; set; } = 2;
    }

    /// <summary>
    /// One Sep row as a record: null for a blank line, and for a row before <paramref name="firstRow"/> (counted, its
    /// cells never made into strings). Sep opens a quoted section at any quote and never reports one left open: it
    /// runs to the end of the file, so a row with an odd number of quotes is the file ending inside a quoted field.
    /// </summary>
    private SourceRecord? CsvRecord(SepReader.Row row, int headerCount, int[] positions, CsvPosition position, long firstRow)
    {
        var start = position.Line;
        // Sep's LineNumberFrom of its first row is off (it reports the row's end); the previous row's end is exact.
        position.Line = row.LineNumberToExcl + 1;
        // Counted on the raw row, before a column is read: unescaping rewrites the row's text in place.
        if (row.Span.Count('"') % 2 == 1)
            throw new InvalidDataFileException($"Line {start}: a quoted field is never closed (the file ends inside it).");
        if (row.ColCount == 1 && row[0].Span.Length == 0) return null; // blank line
        var number = ++position.Row;
        if (number < firstRow) return null;
        if (row.ColCount != headerCount) return new SourceRecord(number, start, null, $"expected {headerCount} fields, found {row.ColCount}");
        var cells = new string?[_columns.Count];
        for (var i = 0; i < positions.Length; i++) cells[positions[i]] = row[i].ToString();
        return new SourceRecord(number, start, cells, null);
    }

    private async IAsyncEnumerable<SourceRecord> ReadJsonLinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long line = 0, row = 0;
        while (true)
        {
            string? text;
            try { text = await reader.ReadLineAsync(ct); }
            catch (DecoderFallbackException) { throw new InvalidDataFileException($"Line {line + 1} is not valid UTF-8 text."); }
            if (text is null) yield break;
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            row++;
            JsonDocument? document = null;
            string? invalid = null;
            try { document = JsonDocument.Parse(text); }
            catch (JsonException e) { invalid = $"invalid JSON: {e.Message}"; }
            if (document is null)
            {
                yield return new SourceRecord(row, line, null, invalid);
                continue;
            }
            using (document)
            {
                yield return document.RootElement.ValueKind == JsonValueKind.Object
                    ? new SourceRecord(row, line, Cells(document.RootElement), null)
                    : new SourceRecord(row, line, null, $"expected an object, found {document.RootElement.ValueKind}");
            }
        }
    }

    private async IAsyncEnumerable<SourceRecord> ReadJsonArrayAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var head = new byte[1];
        var buffered = new BufferedStream(stream, 1 << 16);
        // The first non-blank character decides: only an array of objects is a dataset.
        int first;
        do { first = buffered.ReadByte(); } while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);
        if (first != '[') throw new InvalidDataFileException("A JSON dataset must be an array of objects ('[' expected first).");
        var rest = new ConcatenatedStream("["u8.ToArray(), buffered);
        var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(rest, cancellationToken: ct);
        var enumerator = elements.GetAsyncEnumerator(ct);
        long row = 0;
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync()) yield break;
                }
                catch (JsonException e)
                {
                    throw new InvalidDataFileException($"Invalid JSON after row {row} (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}");
                }
                row++;
                var element = enumerator.Current;
                yield return element.ValueKind == JsonValueKind.Object
                    ? new SourceRecord(row, 0, Cells(element), null)
                    : new SourceRecord(row, 0, null, $"expected an object, found {element.ValueKind}");
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
        }
    }

    private string?[] Cells(JsonElement element)
    {
        var values = new List<(int Index, string? Value)>();
        foreach (var property in element.EnumerateObject())
            values.Add((ColumnIndex(property.Name), TabularReader.Cell(property.Value)));
        var cells = new string?[_columns.Count];
        foreach (var (index, value) in values) cells[index] = value;
        return cells;
    }

    private async IAsyncEnumerable<SourceRecord> ReadParquetAsync(Stream stream, long firstRow, long endRow, [EnumeratorCancellation] CancellationToken ct)
    {
        var info = await ParquetTables.InspectAsync(stream, ct);
        var positions = info.Columns.Select(ColumnIndex).ToArray();
        long before = 0;
        for (var group = 0; group < info.RowGroupRows.Count; group++)
        {
            var rows = info.RowGroupRows[group];
            // Row groups wholly outside the range are not read at all.
            if (before + rows < firstRow || before + 1 >= endRow) { before += rows; continue; }
            var row = before;
            await foreach (var values in ParquetTables.ReadRowsAsync(stream, group, 1, ct))
            {
                row++;
                var cells = new string?[_columns.Count];
                for (var i = 0; i < positions.Length; i++) cells[positions[i]] = values[i];
                yield return new SourceRecord(row, 0, cells, null);
            }
            before += rows;
        }
    }

    /// <summary>Reads a prefix that was consumed to look at the input, then the rest of the stream.</summary>
    private sealed class ConcatenatedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _offset;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_offset < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _offset);
                prefix.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }
            return rest.Read(buffer);
        }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset < prefix.Length) return Read(buffer.Span);
            return await rest.ReadAsync(buffer, cancellationToken);
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
