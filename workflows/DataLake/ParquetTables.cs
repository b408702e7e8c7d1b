using System.Globalization;
using System.Runtime.CompilerServices;
using Orchestrator.Workflows.Model;
using Parquet;
using Parquet.Schema;

namespace Orchestrator.Workflows.DataLake;

/// <summary>Shape of a Parquet source file: its column names, the rows of each row group and the total rows.</summary>
public sealed record ParquetSourceInfo(IReadOnlyList<string> Columns, IReadOnlyList<long> RowGroupRows, long Rows);

/// <summary>
/// Parquet in the lake: reading source files (flat columns of any simple type) as canonical text cells, one row group
/// in memory at a time, and writing/reading curated datasets as typed Parquet (number → double, boolean → bool,
/// date → UTC timestamp, categorical/text → string) whose cells read back exactly as written.
/// </summary>
public static class ParquetTables
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private static readonly byte[] EncryptedMagic = "PARE"u8.ToArray();

    /// <summary>
    /// Reads the footer of a Parquet file (the stream must be readable and seekable). Throws
    /// <see cref="InvalidDataFileException"/> when the file is not Parquet, has duplicate or empty column names, or has
    /// nested, list or map columns (the column is named).
    /// </summary>
    public static async Task<ParquetSourceInfo> InspectAsync(Stream seekable, CancellationToken ct = default)
    {
        var (reader, fields) = await OpenAsync(seekable, ct);
        await using (reader)
        {
            var rowGroupRows = reader.RowGroups.Select(g => g.RowCount).ToList();
            return new ParquetSourceInfo(fields.Select(f => f.Name).ToList(), rowGroupRows, rowGroupRows.Sum());
        }
    }

    /// <summary>
    /// Streams the rows of row groups [<paramref name="firstRowGroup"/>, <paramref name="firstRowGroup"/> +
    /// <paramref name="rowGroupCount"/>) as canonical text cells (null = missing), holding one row group's typed values in
    /// memory at a time; columns are in the order <see cref="InspectAsync"/> reports. Integers, floats and decimals become
    /// canonical number text (<c>double</c> "R"; a floating-point NaN is missing); bool "true"/"false"; timestamps and
    /// dates canonical date text (a UTC timestamp as UTC, a local/naive one as its wall-clock value); strings as they
    /// are; binary base64; anything else its invariant-culture text.
    /// </summary>
    public static async IAsyncEnumerable<string?[]> ReadRowsAsync(Stream seekable, int firstRowGroup, int rowGroupCount,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var (reader, fields) = await OpenAsync(seekable, ct);
        await using (reader)
        {
            if (firstRowGroup < 0 || rowGroupCount < 0 || firstRowGroup > reader.RowGroupCount - rowGroupCount)
                throw new ArgumentOutOfRangeException(nameof(rowGroupCount),
                    $"Row groups {firstRowGroup}..{firstRowGroup + rowGroupCount - 1} are outside the file's {reader.RowGroupCount} row groups.");
            await foreach (var row in ReadRowsCoreAsync(reader, fields, firstRowGroup, rowGroupCount, ct))
                yield return row;
        }
    }

    /// <summary>
    /// Writes curated rows (canonical text cells matching <paramref name="schema"/>) as typed Parquet, buffering
    /// <paramref name="rowGroupSize"/> rows per row group. The output only needs to be writable: it is written forward,
    /// never sought, and is left open. Dispose the writer to flush the last row group and write the footer.
    /// </summary>
    public static async Task<CuratedParquetWriter> CreateWriterAsync(Stream output, DatasetSchema schema, int rowGroupSize = 100_000, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        if (!output.CanWrite) throw new ArgumentException("The output stream is not writable.", nameof(output));
        if (schema.Columns.Count == 0) throw new ArgumentException("The schema has no columns.", nameof(schema));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in schema.Columns)
        {
            if (string.IsNullOrEmpty(column.Name)) throw new ArgumentException("A column has no name.", nameof(schema));
            if (!names.Add(column.Name)) throw new ArgumentException($"Column '{column.Name}' appears twice.", nameof(schema));
        }

        var sinks = schema.Columns.Select(c => ColumnSink.For(c, rowGroupSize)).ToArray();
        var parquetSchema = new ParquetSchema(sinks.Select(s => (Field)s.Field));
        var writer = await ParquetWriter.CreateAsync(parquetSchema, output, new ParquetOptions(), append: false, ct);
        return new CuratedParquetWriter(writer, sinks, rowGroupSize);
    }

    /// <summary>
    /// Reads a curated Parquet file written by <see cref="CuratedParquetWriter"/> into <see cref="TabularData"/> with
    /// canonical text cells, so the round trip is exact; column names are the Parquet field names as written.
    /// </summary>
    public static async Task<TabularData> ReadCuratedAsync(Stream seekable, CancellationToken ct = default)
    {
        var (reader, fields) = await OpenAsync(seekable, ct);
        await using (reader)
        {
            var data = new TabularData(fields.Select(f => f.Name).ToList());
            await AppendAsync(reader, fields, data, ct);
            return data;
        }
    }

    /// <summary>
    /// Appends the rows of a curated Parquet part (part-0000.parquet, part-0001.parquet…) to <paramref name="into"/>.
    /// Throws <see cref="InvalidDataFileException"/> when the part's columns differ (names or order) from
    /// <paramref name="into"/>'s.
    /// </summary>
    public static async Task AppendCuratedAsync(Stream seekable, TabularData into, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(into);
        var (reader, fields) = await OpenAsync(seekable, ct);
        await using (reader)
        {
            if (!fields.Select(f => f.Name).SequenceEqual(into.Columns, StringComparer.Ordinal))
                throw new InvalidDataFileException(
                    $"The part's columns ({string.Join(", ", fields.Select(f => $"'{f.Name}'"))}) differ from the dataset's ({string.Join(", ", into.Columns.Select(c => $"'{c}'"))}).");
            await AppendAsync(reader, fields, into, ct);
        }
    }

    private static async Task AppendAsync(ParquetReader reader, DataField[] fields, TabularData into, CancellationToken ct)
    {
        var rows = reader.RowGroups.Sum(g => g.RowCount);
        if (into.Rows.Count + rows <= Array.MaxLength) into.Rows.EnsureCapacity(into.Rows.Count + (int)rows);
        await foreach (var row in ReadRowsCoreAsync(reader, fields, 0, reader.RowGroupCount, ct))
            into.Rows.Add(row);
    }

    private static async Task<(ParquetReader Reader, DataField[] Fields)> OpenAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek) throw new ArgumentException("Reading Parquet needs a readable, seekable stream.", nameof(stream));
        await CheckMagicAsync(stream, ct);

        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, new ParquetOptions(), leaveStreamOpen: true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataFileException($"The file is not Parquet: its footer cannot be read ({e.Message}).");
        }

        try
        {
            ParquetSchema schema;
            try
            {
                schema = reader.Schema;
            }
            catch (Exception e)
            {
                throw new InvalidDataFileException($"The Parquet schema is not supported: {e.Message}");
            }
            var fields = new DataField[schema.Fields.Count];
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Length; i++)
            {
                var field = schema.Fields[i];
                if (string.IsNullOrEmpty(field.Name)) throw new InvalidDataFileException($"Parquet column {i + 1} has no name.");
                if (!names.Add(field.Name)) throw new InvalidDataFileException($"Parquet column name '{field.Name}' appears twice.");
                fields[i] = field switch
                {
                    DataField { IsArray: false, MaxRepetitionLevel: 0 } data => data,
                    DataField => throw new InvalidDataFileException($"Parquet column '{field.Name}' is a repeated (list) column: only flat columns of simple values are supported."),
                    _ => throw new InvalidDataFileException($"Parquet column '{field.Name}' is a nested {field.SchemaType.ToString().ToLowerInvariant()} column: only flat columns of simple values are supported."),
                };
            }
            return (reader, fields);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    private static async Task CheckMagicAsync(Stream stream, CancellationToken ct)
    {
        var length = stream.Length;
        if (length < 12) throw new InvalidDataFileException($"The file is not Parquet: it is {length} bytes long, too short for a Parquet header and footer.");
        var head = new byte[4];
        var tail = new byte[4];
        stream.Position = 0;
        await stream.ReadExactlyAsync(head, ct);
        stream.Position = length - 4;
        await stream.ReadExactlyAsync(tail, ct);
        stream.Position = 0;
        if (!head.AsSpan().SequenceEqual(Magic) && !head.AsSpan().SequenceEqual(EncryptedMagic))
            throw new InvalidDataFileException("The file is not Parquet: it does not start with the 'PAR1' magic bytes.");
        if (!tail.AsSpan().SequenceEqual(head))
            throw new InvalidDataFileException("The file is not Parquet, or is truncated: it does not end with the 'PAR1' magic bytes.");
    }

    private static async IAsyncEnumerable<string?[]> ReadRowsCoreAsync(ParquetReader reader, DataField[] fields, int first, int count,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var columns = fields.Select(ColumnReader.For).ToArray();
        try
        {
            for (var g = first; g < first + count; g++)
            {
                ct.ThrowIfCancellationRequested();
                var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                foreach (var column in columns) await column.LoadAsync(group, g, rows, ct);
                for (var r = 0; r < rows; r++)
                {
                    var row = new string?[columns.Length];
                    for (var c = 0; c < columns.Length; c++) row[c] = columns[c].Format(r);
                    yield return row;
                }
            }
        }
        finally
        {
            foreach (var column in columns) column.Release();
        }
    }

    /// <summary>One source column: the typed values of the current row group and how to turn one into canonical text.</summary>
    private abstract class ColumnReader(DataField field)
    {
        public DataField Field { get; } = field;

        public abstract ValueTask LoadAsync(ParquetRowGroupReader group, int rowGroup, int rows, CancellationToken ct);

        public abstract string? Format(int row);

        /// <summary>Drops the buffers (and the references they hold).</summary>
        public abstract void Release();

        public static ColumnReader For(DataField field)
        {
            var t = field.ClrType;
            if (t == typeof(bool)) return new ValueColumn<bool>(field, b => b ? "true" : "false");
            if (t == typeof(sbyte)) return new ValueColumn<sbyte>(field, v => Canonical.Integer(v));
            if (t == typeof(byte)) return new ValueColumn<byte>(field, v => Canonical.Integer(v));
            if (t == typeof(short)) return new ValueColumn<short>(field, v => Canonical.Integer(v));
            if (t == typeof(ushort)) return new ValueColumn<ushort>(field, v => Canonical.Integer(v));
            if (t == typeof(int)) return new ValueColumn<int>(field, v => Canonical.Integer(v));
            if (t == typeof(uint)) return new ValueColumn<uint>(field, v => Canonical.Integer(v));
            if (t == typeof(long)) return new ValueColumn<long>(field, Canonical.Integer, cache: true);
            if (t == typeof(ulong)) return new ValueColumn<ulong>(field, v => v <= long.MaxValue ? Canonical.Integer((long)v) : Canonical.Number((double)v), cache: true);
            if (t == typeof(float)) return new ValueColumn<float>(field, Canonical.Number, cache: true);
            if (t == typeof(double)) return new ValueColumn<double>(field, Canonical.Number, cache: true);
            if (t == typeof(Half)) return new ValueColumn<Half>(field, v => Canonical.Number((float)v));
            if (t == typeof(decimal)) return new ValueColumn<decimal>(field, v => Canonical.Number((double)v), cache: true);
            if (t == typeof(DateTime)) return new ValueColumn<DateTime>(field, Canonical.Date, cache: true);
            if (t == typeof(DateOnly)) return new ValueColumn<DateOnly>(field, d => Canonical.Date(d.ToDateTime(TimeOnly.MinValue)), cache: true);
            if (t == typeof(Guid)) return new ValueColumn<Guid>(field, g => g.ToString("D"));
            if (t == typeof(ReadOnlyMemory<char>)) return new ValueColumn<ReadOnlyMemory<char>>(field, new StringPool().Intern);
            if (t == typeof(ReadOnlyMemory<byte>)) return new ValueColumn<ReadOnlyMemory<byte>>(field, b => Convert.ToBase64String(b.Span));
            if (!t.IsValueType) throw new InvalidDataFileException($"Parquet column '{field.Name}' has an unsupported type {t.Name}.");
            // Rare types (BigInteger, BigDecimal, Interval…): their invariant text, boxed.
            var create = typeof(ColumnReader).GetMethod(nameof(Boxed), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
            return (ColumnReader)create.MakeGenericMethod(t).Invoke(null, [field])!;
        }

        private static ValueColumn<T> Boxed<T>(DataField field) where T : struct =>
            new ValueColumn<T>(field, v => Canonical.Object(v) ?? "");

        protected static async ValueTask ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rowGroup, Memory<T> values, Memory<int>? levels, CancellationToken ct)
            where T : struct
        {
            try
            {
                await group.ReadRawAsync(field, values, levels, null, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidDataFileException($"Row group {rowGroup}, column '{field.Name}': the values cannot be read ({e.Message}).");
            }
        }
    }

    /// <summary>
    /// A column read raw: present values packed, plus definition levels mapped to a value index per row (-1 = null).
    /// Repeated formatted values share one string (bounded cache) so rows kept by the caller do not multiply them.
    /// </summary>
    private class ValueColumn<T>(DataField field, Func<T, string?> format, bool cache = false) : ColumnReader(field) where T : struct
    {
        private const int MaxCached = 1 << 16;
        private T[] _values = [];
        private int[] _levels = [];
        private int[] _index = [];
        private bool _hasNulls;
        private Dictionary<T, string?>? _cache = cache ? new() : null;
        private long _hits;

        public override async ValueTask LoadAsync(ParquetRowGroupReader group, int rowGroup, int rows, CancellationToken ct)
        {
            var slots = Math.Max(rows, checked((int)(group.GetMetadata(Field)?.MetaData?.NumValues ?? rows)));
            if (_values.Length < slots) _values = new T[slots];
            else if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) Array.Clear(_values);
            var maxLevel = Field.MaxDefinitionLevel;
            if (maxLevel == 0)
            {
                _hasNulls = false;
                await ReadAsync(group, Field, rowGroup, _values.AsMemory(0, slots), null, ct);
                return;
            }
            if (_levels.Length < slots) _levels = new int[slots];
            if (_index.Length < rows) _index = new int[rows];
            await ReadAsync<T>(group, Field, rowGroup, _values.AsMemory(0, slots), _levels.AsMemory(0, slots), ct);
            var next = 0;
            for (var r = 0; r < rows; r++) _index[r] = _levels[r] == maxLevel ? next++ : -1;
            _hasNulls = next < rows;
        }

        public override string? Format(int row)
        {
            var i = _hasNulls ? _index[row] : row;
            if (i < 0) return null;
            var value = _values[i];
            if (_cache is null) return format(value);
            if (_cache.TryGetValue(value, out var text))
            {
                _hits++;
                return text;
            }
            text = format(value);
            if (_cache.Count < MaxCached) _cache[value] = text;
            else if (_hits < _cache.Count) _cache = null; // mostly distinct values: stop paying for lookups
            return text;
        }

        public override void Release()
        {
            _values = [];
            _levels = [];
            _index = [];
            _cache = null;
        }
    }

    /// <summary>Turns UTF-8 values into strings, sharing one string per repeated value (bounded), e.g. categories.</summary>
    private sealed class StringPool
    {
        private const int MaxCached = 1 << 16;
        private const int MaxCachedLength = 64;
        private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

        public string? Intern(ReadOnlyMemory<char> value)
        {
            var span = value.Span;
            if (span.Length == 0) return "";
            if (span.Length > MaxCachedLength) return new string(span);
            var lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(span, out var text)) return text;
            text = new string(span);
            if (_pool.Count < MaxCached) _pool[text] = text;
            return text;
        }
    }

    /// <summary>Canonical text of values, as <see cref="DatasetCurator.Coerce(string, string)"/> defines it.</summary>
    internal static class Canonical
    {
        private const int SmallMin = -1024;
        private const int SmallMax = 16_383;
        private static readonly string?[] Small = new string?[SmallMax - SmallMin + 1];

        public static string Integer(long value)
        {
            if (value is >= SmallMin and <= SmallMax)
            {
                ref var slot = ref Small[value - SmallMin];
                return slot ??= value.ToString(CultureInfo.InvariantCulture);
            }
            // double "R" writes integers of 15+ digits in exponent form; below that it is the integer's own text.
            return value is > -1_000_000_000_000_000 and < 1_000_000_000_000_000
                ? value.ToString(CultureInfo.InvariantCulture)
                : ((double)value).ToString("R", CultureInfo.InvariantCulture);
        }

        public static string? Number(double value)
        {
            if (double.IsNaN(value)) return null; // NaN marks a missing float in most writers (pandas).
            if (value == Math.Floor(value) && Math.Abs(value) < 1e15 && !(value == 0 && double.IsNegative(value)))
                return Integer((long)value);
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        /// <summary>A float's shortest text read as a double, so 0.1f is "0.1" as it would be from CSV.</summary>
        public static string? Number(float value) =>
            float.IsFinite(value) ? Number(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : Number((double)value);

        public static string Date(DateTime value) => value.TimeOfDay == TimeSpan.Zero
            ? string.Create(10, value, static (span, d) => WriteDate(span, d))
            : string.Create(19, value, static (span, d) =>
            {
                WriteDate(span, d);
                span[10] = 'T';
                Write2(span[11..], d.Hour);
                span[13] = ':';
                Write2(span[14..], d.Minute);
                span[16] = ':';
                Write2(span[17..], d.Second);
            });

        private static void WriteDate(Span<char> span, DateTime d)
        {
            Write2(span, d.Year / 100);
            Write2(span[2..], d.Year % 100);
            span[4] = '-';
            Write2(span[5..], d.Month);
            span[7] = '-';
            Write2(span[8..], d.Day);
        }

        private static void Write2(Span<char> span, int value)
        {
            span[0] = (char)('0' + value / 10);
            span[1] = (char)('0' + value % 10);
        }

        public static string? Object(object? value) => value switch
        {
            null => null,
            string s => s,
            bool b => b ? "true" : "false",
            DateTime d => Date(d),
            DateTimeOffset d => Date(d.UtcDateTime),
            DateOnly d => Date(d.ToDateTime(TimeOnly.MinValue)),
            byte[] bytes => Convert.ToBase64String(bytes),
            double d => Number(d),
            float f => Number(f),
            decimal m => Number((double)m),
            long or int or short or sbyte => Integer(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            ulong or uint or ushort or byte => Number(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

        /// <summary>Parses canonical "yyyy-MM-dd" / "yyyy-MM-ddTHH:mm:ss" directly, anything else via <see cref="DatasetCurator.TryDate"/>.</summary>
        public static bool TryParseDate(string text, out DateTime date)
        {
            if (text.Length is 10 or 19 && TryParseCanonicalDate(text, out date)) return true;
            return DatasetCurator.TryDate(text, out date);
        }

        private static bool TryParseCanonicalDate(string s, out DateTime date)
        {
            date = default;
            if (s[4] != '-' || s[7] != '-') return false;
            if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)) return false;
            int hour = 0, minute = 0, second = 0;
            if (s.Length == 19 && (s[10] != 'T' || s[13] != ':' || s[16] != ':'
                || !Digits(s, 11, 2, out hour) || !Digits(s, 14, 2, out minute) || !Digits(s, 17, 2, out second)))
                return false;
            if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
                return false;
            date = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
            return true;
        }

        private static bool Digits(string s, int start, int count, out int value)
        {
            value = 0;
            for (var i = start; i < start + count; i++)
            {
                var d = s[i] - '0';
                if ((uint)d > 9) return false;
                value = value * 10 + d;
            }
            return true;
        }
    }
}

/// <summary>
/// Writes curated rows as typed Parquet, one row group per <c>rowGroupSize</c> rows buffered column by column.
/// Create it with <see cref="ParquetTables.CreateWriterAsync"/>; dispose it to write the last row group and the footer.
/// </summary>
public sealed class CuratedParquetWriter : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly ColumnSink[] _sinks;
    private readonly int _rowGroupSize;
    private int _buffered;
    private bool _disposed;

    internal CuratedParquetWriter(ParquetWriter writer, ColumnSink[] sinks, int rowGroupSize)
    {
        _writer = writer;
        _sinks = sinks;
        _rowGroupSize = rowGroupSize;
    }

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Adds one row of canonical text cells in schema order (null = missing); writes a row group when the buffer is full.
    /// Throws <see cref="ArgumentException"/>, and adds nothing, when the row has the wrong number of cells or a cell does
    /// not parse as its column's type.
    /// </summary>
    public Task AddAsync(string?[] row, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (row.Length != _sinks.Length)
            throw new ArgumentException($"Row {Rows + 1} has {row.Length} cells; the schema has {_sinks.Length} columns.", nameof(row));
        // A failing cell leaves the slot to be overwritten by the next row: the row is not counted.
        for (var c = 0; c < _sinks.Length; c++) _sinks[c].Set(_buffered, row[c], Rows + 1);
        _buffered++;
        Rows++;
        return _buffered == _rowGroupSize ? FlushAsync(ct) : Task.CompletedTask;
    }

    /// <summary>
    /// Adds one row as <see cref="AddAsync(string?[], CancellationToken)"/> does, taking number and date cells from what
    /// the caller already parsed (<see cref="DatasetCurator.Coerce(string, string, out double, out DateTime)"/>):
    /// <paramref name="numbers"/> for number columns, <paramref name="dates"/> for date columns, by column index.
    /// </summary>
    public Task AddAsync(string?[] row, ReadOnlySpan<double> numbers, ReadOnlySpan<DateTime> dates, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (row.Length != _sinks.Length || numbers.Length != _sinks.Length || dates.Length != _sinks.Length)
            throw new ArgumentException($"Row {Rows + 1} has {row.Length} cells, {numbers.Length} numbers and {dates.Length} dates; the schema has {_sinks.Length} columns.", nameof(row));
        for (var c = 0; c < _sinks.Length; c++) _sinks[c].SetParsed(_buffered, row[c], numbers[c], dates[c], Rows + 1);
        _buffered++;
        Rows++;
        return _buffered == _rowGroupSize ? FlushAsync(ct) : Task.CompletedTask;
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        var count = _buffered;
        _buffered = 0;
        using (var group = _writer.CreateRowGroup())
        {
            foreach (var sink in _sinks) await sink.WriteAsync(group, count, ct);
            group.CompleteValidate();
        }
        foreach (var sink in _sinks) sink.Clear(count);
    }

    /// <summary>Writes the rows still buffered as a last row group, then the footer. The output stream stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_buffered > 0) await FlushAsync(CancellationToken.None);
        await _writer.DisposeAsync();
    }
}

/// <summary>The buffered values of one curated column and its Parquet field.</summary>
internal abstract class ColumnSink(DataField field, string name, string type)
{
    public DataField Field { get; } = field;

    /// <summary>Parses <paramref name="text"/> into slot <paramref name="index"/>; throws <see cref="ArgumentException"/> when it does not fit.</summary>
    public abstract void Set(int index, string? text, long row);

    /// <summary>Stores a cell whose value was parsed already (number and date sinks take it; the others the text).</summary>
    public virtual void SetParsed(int index, string? text, double number, DateTime date, long row) => Set(index, text, row);

    public abstract Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken ct);

    /// <summary>Drops references held by the first <paramref name="count"/> slots.</summary>
    public virtual void Clear(int count) { }

    protected ArgumentException NotA(string text, long row) =>
        new($"Row {row}, column '{name}': '{(text.Length <= 40 ? text : text[..40] + "…")}' is not a {type}.", nameof(row));

    public static ColumnSink For(ColumnSchema column, int capacity) => column.Type switch
    {
        ColumnType.Number => new NumberSink(column.Name, capacity),
        ColumnType.Boolean => new BooleanSink(column.Name, capacity),
        ColumnType.Date => new DateSink(column.Name, capacity),
        ColumnType.Categorical or ColumnType.Text => new StringSink(column.Name, column.Type, capacity),
        _ => throw new ArgumentException($"Column '{column.Name}' has an unknown type '{column.Type}'.", nameof(column)),
    };

    private abstract class ValueSink<T>(DataField field, string name, string type, int capacity) : ColumnSink(field, name, type) where T : struct
    {
        protected readonly T?[] Values = new T?[capacity];

        public override Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken ct) =>
            group.WriteAsync<T>(Field, Values.AsMemory(0, count), null, null, ct);
    }

    private sealed class NumberSink(string name, int capacity)
        : ValueSink<double>(new DataField(name, typeof(double), isNullable: true), name, ColumnType.Number, capacity)
    {
        public override void Set(int index, string? text, long row) =>
            Values[index] = text is null ? null : DatasetCurator.TryNumber(text, out var d) ? d : throw NotA(text, row);

        public override void SetParsed(int index, string? text, double number, DateTime date, long row) =>
            Values[index] = text is null ? null : number;
    }

    private sealed class BooleanSink(string name, int capacity)
        : ValueSink<bool>(new DataField(name, typeof(bool), isNullable: true), name, ColumnType.Boolean, capacity)
    {
        public override void Set(int index, string? text, long row) => Values[index] = text switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => DatasetCurator.TryBoolean(text, out var b) ? b : throw NotA(text, row),
        };
    }

    private sealed class DateSink(string name, int capacity)
        : ValueSink<DateTime>(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true),
            name, ColumnType.Date, capacity)
    {
        public override void Set(int index, string? text, long row) =>
            Values[index] = text is null ? null : ParquetTables.Canonical.TryParseDate(text, out var d) ? d : throw NotA(text, row);

        public override void SetParsed(int index, string? text, double number, DateTime date, long row) =>
            Values[index] = text is null ? null : date;
    }

    private sealed class StringSink(string name, string type, int capacity)
        : ValueSink<ReadOnlyMemory<char>>(new DataField(name, typeof(string), isNullable: true), name, type, capacity)
    {
        public override void Set(int index, string? text, long row) => Values[index] = text?.AsMemory();

        public override void Clear(int count) => Array.Clear(Values, 0, count);
    }
}
