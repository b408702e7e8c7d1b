using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using System.Text.Json;
using nietras.SeparatedValues;

namespace Orchestrator.Workflows.DataLake;

/// <summary>
/// One record of a source file: its 1-based data row number, the line it starts on (text formats), and either its
/// cells (in the order of <see cref="RecordSource.Columns"/>; shorter arrays mean the rest are missing) or why the
/// record cannot be read (quarantined, not fatal). <paramref name="Offset"/>: for CSV, the byte of the file the
/// record starts at when it is known (-1 otherwise), so that a later read can start there (<see cref="TextStart"/>).
/// </summary>
public readonly record struct SourceRecord(long Row, long Line, string?[]? Cells, string? Error, long Offset = -1);

/// <summary>Where a record of a CSV file starts: its byte offset, line and data row (from <see cref="SourceRecord"/>).</summary>
public sealed record TextStart(long Offset, long Line, long Row);

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
    /// formats read from the start and skip earlier rows — CSV on a seekable stream starts at <paramref name="start"/>
    /// instead, the header still read from the file's start; Parquet seeks to the row groups that hold the range.
    /// </summary>
    public static async IAsyncEnumerable<SourceRecord> ReadAsync(
        Stream stream, string format, RecordSource shape, long firstRow = 1, long endRow = long.MaxValue, TextStart? start = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var records = format switch
        {
            DataFormat.Csv => shape.ReadCsvAsync(stream, firstRow, start is not null && stream.CanSeek ? start : null, ct),
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

    /// <summary>
    /// Enumerates <paramref name="records"/> on another thread, a few batches ahead of the caller, so that reading and
    /// parsing the file overlaps with what the caller does with each record (two cores, half the wall time each at best).
    /// Only for sources whose columns are known before the first record (CSV, Parquet): a JSON shape grows while it reads.
    /// A problem of the file is thrown to the caller as it would be without it.
    /// </summary>
    public static async IAsyncEnumerable<SourceRecord> ReadAheadAsync(IAsyncEnumerable<SourceRecord> records, [EnumeratorCancellation] CancellationToken ct = default)
    {
        const int batchSize = 1024;
        var channel = Channel.CreateBounded<SourceRecord[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Not started with the token: a producer that never ran would never complete the channel.
        var producer = Task.Run(async () =>
        {
            var batch = new List<SourceRecord>(batchSize);
            try
            {
                await foreach (var record in records.WithCancellation(stop.Token))
                {
                    batch.Add(record);
                    if (batch.Count < batchSize) continue;
                    await channel.Writer.WriteAsync([.. batch], stop.Token);
                    batch.Clear();
                }
                if (batch.Count > 0) await channel.Writer.WriteAsync([.. batch], stop.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException && batch.Count > 0)
            {
                // The records read before the problem reach the caller first, as they would without read-ahead.
                await channel.Writer.WriteAsync([.. batch], stop.Token);
                throw;
            }
            finally
            {
                channel.Writer.Complete();
            }
        }, CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(ct))
                while (channel.Reader.TryRead(out var batch))
                    foreach (var record in batch) yield return record;
            await producer; // the file's problem, if it had one
        }
        finally
        {
            // The caller may stop early: the producer stops too, and is waited for, since it reads the caller's stream.
            await stop.CancelAsync();
            await Task.WhenAny(producer);
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

    private async IAsyncEnumerable<SourceRecord> ReadCsvAsync(Stream stream, long firstRow, TextStart? start, [EnumeratorCancellation] CancellationToken ct)
    {
        // Read from the start, the bytes pass a counter of row ends, so that each record knows its offset.
        var ends = start is null ? new CsvRowEnds(stream) : null;
        // The decoder throws on invalid UTF-8 and drops a BOM before Sep sees the text.
        var text = new StreamReader(ends ?? stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        string? firstLine;
        try { firstLine = await text.ReadLineAsync(ct); }
        catch (DecoderFallbackException) { throw new InvalidDataFileException("Line 1 is not valid UTF-8 text."); }
        if (firstLine is null || firstLine.Trim().Length == 0) throw new InvalidDataFileException("The file is empty: line 1 should be the header.");
        var delimiter = TabularReader.DetectDelimiter(firstLine) ?? ','; // no separator in the header: one column
        var header = TabularReader.HeaderNames(firstLine, delimiter);
        TabularReader.CheckHeader(header);
        // A header defines the columns; a discovering shape takes them, an aligned one maps them.
        var positions = header.Select(ColumnIndex).ToArray();

        var next = new CsvPosition();
        if (start is not null)
        {
            // A later chunk: the header was all this reader needed from the start; the rows begin at a row's first byte.
            text.Dispose();
            stream.Position = start.Offset;
            text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
            (next.Row, next.Line) = (start.Row - 1, start.Line);
        }
        // Sep reads the rest; its line numbers count from where it starts.
        SepReader csv;
        try { csv = await TabularReader.Csv(delimiter).FromAsync(text, ct); }
        catch (DecoderFallbackException) { throw new InvalidDataFileException($"Line {next.Line} is not valid UTF-8 text."); }
        using (csv)
        {
            next.SepLineBase = next.Line - 1;
            while (true)
            {
                bool more;
                try { more = await csv.MoveNextAsync(ct); }
                catch (DecoderFallbackException) { throw new InvalidDataFileException($"Line {next.Line} is not valid UTF-8 text."); }
                if (!more) yield break;
                if (CsvRecord(csv.Current, header.Count, positions, next, firstRow, ends) is { } record) yield return record;
                if ((next.Row & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Where the CSV reader is: the data rows counted so far and the file line the next row starts on.</summary>
    private sealed class CsvPosition
    {
        public long Row { get; set; }
        public long Line { get; set; } = 2;

        /// <summary>File line before Sep's line 1.</summary>
        public long SepLineBase { get; set; }
    }

    /// <summary>
    /// One Sep row as a record: null for a blank line, and for a row before <paramref name="firstRow"/> (counted, its
    /// cells never made into strings). Sep opens a quoted section at any quote and never reports one left open: it
    /// runs to the end of the file, so a row with an odd number of quotes is the file ending inside a quoted field.
    /// </summary>
    private SourceRecord? CsvRecord(SepReader.Row row, int headerCount, int[] positions, CsvPosition position, long firstRow, CsvRowEnds? ends)
    {
        var start = position.Line;
        // Sep's LineNumberFrom of its first row is off (it reports the row's end); the previous row's end is exact.
        position.Line = position.SepLineBase + row.LineNumberToExcl;
        // Counted on the raw row, before a column is read: unescaping rewrites the row's text in place.
        if (row.Span.Count('"') % 2 == 1)
            throw new InvalidDataFileException($"Line {start}: a quoted field is never closed (the file ends inside it).");
        if (row.ColCount == 1 && row[0].Span.Length == 0) return null; // blank line
        var number = ++position.Row;
        if (number < firstRow) return null;
        var offset = ends?.StartOf(row.RowIndex) ?? -1;
        if (row.ColCount != headerCount) return new SourceRecord(number, start, null, $"expected {headerCount} fields, found {row.ColCount}", offset);
        var cells = new string?[_columns.Count];
        for (var i = 0; i < positions.Length; i++) cells[positions[i]] = row[i].ToString();
        return new SourceRecord(number, start, cells, null, offset);
    }

    /// <summary>
    /// Passes a CSV file's bytes through and notes where its rows end as Sep splits them: the header line (as
    /// <see cref="StreamReader.ReadLine"/> ends it), then every line end outside quotes (a quote opens or closes a quoted
    /// section wherever it stands, as in Sep; quotes and line ends are single bytes in UTF-8). The ends of the latest
    /// rows are kept (the readers above buffer far fewer), enough to give the start of each row as Sep hands it out.
    /// </summary>
    private sealed class CsvRowEnds(Stream inner) : Stream
    {
        private const int Kept = 1 << 17;
        private readonly long[] _ends = new long[Kept];
        private long _position;
        private long _headerEnd = -1;
        private long _rowsEnded;
        private bool _quoted;
        private bool _afterCarriageReturn;

        /// <summary>The byte offset Sep's row <paramref name="rowIndex"/> (0-based, after the header) starts at; -1 when no longer known.</summary>
        public long StartOf(long rowIndex)
        {
            if (rowIndex == 0) return _headerEnd;
            var ended = rowIndex - 1;
            return ended < _rowsEnded && _rowsEnded - ended <= Kept ? _ends[ended % Kept] : -1;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Scan(buffer[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Scan(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Scan(ReadOnlySpan<byte> bytes)
        {
            var i = 0;
            if (_afterCarriageReturn && bytes.Length > 0)
            {
                // A CR at the end of the last read: with LF after it both end one line, alone it ends it.
                _afterCarriageReturn = false;
                if (bytes[0] == '\n') { End(_position + 1); i = 1; }
                else End(_position);
            }
            while (i < bytes.Length)
            {
                var found = _headerEnd < 0 ? bytes[i..].IndexOfAny((byte)'\n', (byte)'\r') : bytes[i..].IndexOfAny((byte)'"', (byte)'\n', (byte)'\r');
                if (found < 0) break;
                i += found;
                var b = bytes[i];
                if (b == '"') _quoted = !_quoted;
                else if (!_quoted)
                {
                    if (b == '\n') End(_position + i + 1);
                    else if (i + 1 < bytes.Length) { if (bytes[i + 1] == '\n') i++; End(_position + i + 1); }
                    else _afterCarriageReturn = true;
                }
                i++;
            }
            _position += bytes.Length;
        }

        private void End(long next)
        {
            if (_headerEnd < 0) { _headerEnd = next; return; }
            _ends[_rowsEnded % Kept] = next;
            _rowsEnded++;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
