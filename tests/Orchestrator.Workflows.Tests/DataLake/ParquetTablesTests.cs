using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using Xunit.Abstractions;

namespace Orchestrator.Workflows.Tests.DataLake;

public sealed class ParquetTablesTests(ITestOutputHelper output)
{
    private const long Flights = 3_000_000;
    private const long MaxManagedBytes = 600L * 1024 * 1024;
    private const long MaxWorkingSetGrowth = 1024L * 1024 * 1024;

    private static readonly DatasetSchema MixedSchema = new([
        new ColumnSchema("price (USD)", ColumnType.Number, true, 0),
        new ColumnSchema("is.active", ColumnType.Boolean, true, 0),
        new ColumnSchema("signed up", ColumnType.Date, true, 0),
        new ColumnSchema("plan.tier (v2)", ColumnType.Categorical, true, 0),
        new ColumnSchema("free text", ColumnType.Text, true, 0),
    ]);

    private static readonly string?[][] MixedRows =
    [
        ["12.5", "true", "2024-01-31", "gold", "first, with \"quotes\""],
        [null, "false", "2024-02-01T13:45:07", "silver", "émoji 🚀 and ünïcode"],
        ["-0.1", null, "1999-12-31T23:59:59", "gold", ""],
        ["1E+300", "true", null, null, "line\nbreak"],
        ["42", "false", "2000-02-29", "bronze", null],
        ["0.30000000000000004", "true", "1970-01-01", "silver", "x"],
        ["-7", "false", "2038-01-19T03:14:08", "gold", "y"],
    ];

    private static DatasetSchema FlightsSchema => new([
        new ColumnSchema("date", ColumnType.Date, false, 0),
        new ColumnSchema("delay", ColumnType.Number, false, 0),
        new ColumnSchema("distance", ColumnType.Number, false, 0),
        new ColumnSchema("origin", ColumnType.Categorical, false, 0),
        new ColumnSchema("destination", ColumnType.Categorical, false, 0),
    ]);

    private static async Task<MemoryStream> WriteAsync(DatasetSchema schema, IEnumerable<string?[]> rows, int rowGroupSize = 100_000)
    {
        var stream = new MemoryStream();
        await using (var writer = await ParquetTables.CreateWriterAsync(stream, schema, rowGroupSize))
            foreach (var row in rows) await writer.AddAsync(row);
        stream.Position = 0;
        return stream;
    }

    private static string?[][] NumberedRows(int first, int count) =>
        Enumerable.Range(first, count).Select(i => new string?[]
        {
            (i * 1.5).ToString("R", CultureInfo.InvariantCulture),
            i % 3 == 0 ? null : (i % 2 == 0 ? "true" : "false"),
            new DateTime(2024, 1, 1).AddDays(i).AddHours(i % 2).ToString(i % 2 == 0 ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            i % 4 == 0 ? null : $"c{i % 3}",
            $"row {i}",
        }).ToArray();

    [Fact]
    public async Task ReadCuratedAsync_AllTypesNullsAndOddNames_RoundTripsExactly()
    {
        using var file = await WriteAsync(MixedSchema, MixedRows);

        var data = await ParquetTables.ReadCuratedAsync(file);

        Assert.Equal(MixedSchema.Columns.Select(c => c.Name), data.Columns);
        Assert.Equal(MixedRows, data.Rows);
    }

    [Fact]
    public async Task AddAsync_ValuesCoercionParsed_ReadBackAsTheCanonicalText()
    {
        var file = new MemoryStream();
        await using (var writer = await ParquetTables.CreateWriterAsync(file, MixedSchema))
            foreach (var row in MixedRows)
            {
                var numbers = new double[row.Length];
                var dates = new DateTime[row.Length];
                for (var c = 0; c < row.Length; c++)
                    if (row[c] is { } cell) DatasetCurator.Coerce(cell, MixedSchema.Columns[c].Type, out numbers[c], out dates[c]);
                await writer.AddAsync(row, numbers, dates);
            }
        file.Position = 0;

        var data = await ParquetTables.ReadCuratedAsync(file);

        Assert.Equal(MixedRows, data.Rows);
    }

    [Fact]
    public async Task ReadCuratedAsync_TypedColumns_StoredAsDoubleBoolUtcTimestampAndString()
    {
        using var file = await WriteAsync(MixedSchema, MixedRows);

        await using var reader = await ParquetReader.CreateAsync(file);
        var fields = reader.Schema.DataFields;
        Assert.Equal([typeof(double), typeof(bool), typeof(DateTime), typeof(ReadOnlyMemory<char>), typeof(ReadOnlyMemory<char>)], fields.Select(f => f.ClrType));
        Assert.All(fields, f => Assert.True(f.IsNullable));
        var date = Assert.IsType<DateTimeDataField>(fields[2]);
        Assert.True(date.IsAdjustedToUTC);
        var dates = new DateTime?[MixedRows.Length];
        await reader.OpenRowGroupReader(0).ReadAsync<DateTime>(date, dates.AsMemory());
        Assert.Equal(new DateTime(2024, 2, 1, 13, 45, 7, DateTimeKind.Utc), dates[1]);
        Assert.Equal(DateTimeKind.Utc, dates[1]!.Value.Kind);
    }

    [Fact]
    public async Task ReadCuratedAsync_TenRowsInRowGroupsOfThree_FourRowGroupsSameCells()
    {
        var rows = NumberedRows(0, 10);
        using var file = await WriteAsync(MixedSchema, rows, rowGroupSize: 3);

        var info = await ParquetTables.InspectAsync(file);
        var data = await ParquetTables.ReadCuratedAsync(file);

        Assert.Equal([3L, 3L, 3L, 1L], info.RowGroupRows);
        Assert.Equal(10, info.Rows);
        Assert.Equal(rows, data.Rows);
    }

    [Fact]
    public async Task ReadRowsAsync_RowGroupRange_ReadsOnlyThoseGroups()
    {
        var rows = NumberedRows(0, 10);
        using var file = await WriteAsync(MixedSchema, rows, rowGroupSize: 3);

        var read = await ParquetTables.ReadRowsAsync(file, 1, 2).ToListAsync();

        Assert.Equal(rows[3..9], read);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ParquetTables.ReadRowsAsync(file, 3, 2).ToListAsync());
    }

    [Fact]
    public async Task AppendCuratedAsync_TwoParts_RowsOfBothInOrder()
    {
        var part0 = NumberedRows(0, 5);
        var part1 = NumberedRows(5, 7);
        using var file0 = await WriteAsync(MixedSchema, part0, rowGroupSize: 2);
        using var file1 = await WriteAsync(MixedSchema, part1, rowGroupSize: 4);

        var data = await ParquetTables.ReadCuratedAsync(file0);
        await ParquetTables.AppendCuratedAsync(file1, data);

        Assert.Equal(part0.Concat(part1), data.Rows);
    }

    [Fact]
    public async Task AppendCuratedAsync_ColumnsInAnotherOrder_Refused()
    {
        var swapped = new DatasetSchema([MixedSchema.Columns[1], MixedSchema.Columns[0], .. MixedSchema.Columns.Skip(2)]);
        using var file = await WriteAsync(swapped, []);
        var data = new TabularData(MixedSchema.Columns.Select(c => c.Name).ToList());

        var error = await Assert.ThrowsAsync<InvalidDataFileException>(() => ParquetTables.AppendCuratedAsync(file, data));

        Assert.Contains("differ from the dataset's", error.Message);
        Assert.Empty(data.Rows);
    }

    [Fact]
    public async Task ReadCuratedAsync_NoRows_ColumnsAndNoRows()
    {
        using var file = await WriteAsync(MixedSchema, []);

        var data = await ParquetTables.ReadCuratedAsync(file);

        Assert.Equal(MixedSchema.Columns.Select(c => c.Name), data.Columns);
        Assert.Empty(data.Rows);
    }

    [Fact]
    public async Task CreateWriterAsync_ForwardOnlyOutput_WritesReadableFile()
    {
        var target = new MemoryStream();
        await using (var writer = await ParquetTables.CreateWriterAsync(new ForwardOnlyStream(target), MixedSchema, rowGroupSize: 2))
        {
            foreach (var row in MixedRows) await writer.AddAsync(row);
            Assert.Equal(MixedRows.Length, writer.Rows);
        }

        var data = await ParquetTables.ReadCuratedAsync(new MemoryStream(target.ToArray()));

        Assert.Equal(MixedRows, data.Rows);
    }

    [Fact]
    public async Task AddAsync_CellNotOfItsType_ThrowsArgumentExceptionAndSkipsTheRow()
    {
        var stream = new MemoryStream();
        await using (var writer = await ParquetTables.CreateWriterAsync(stream, MixedSchema))
        {
            await writer.AddAsync(MixedRows[0]);
            var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.AddAsync(["1", "true", "not a date", "a", "b"]));
            Assert.Contains("column 'signed up'", error.Message);
            await Assert.ThrowsAsync<ArgumentException>(() => writer.AddAsync(["abc", "true", null, "a", "b"]));
            await Assert.ThrowsAsync<ArgumentException>(() => writer.AddAsync(["1", "maybe", null, "a", "b"]));
            await Assert.ThrowsAsync<ArgumentException>(() => writer.AddAsync(["1", "true"]));
            await writer.AddAsync(MixedRows[1]);
            Assert.Equal(2, writer.Rows);
        }
        stream.Position = 0;

        var data = await ParquetTables.ReadCuratedAsync(stream);

        Assert.Equal(MixedRows[..2], data.Rows);
    }

    [Fact]
    public async Task InspectAsync_CsvBytes_InvalidDataFileNotParquet()
    {
        var csv = new MemoryStream(Encoding.UTF8.GetBytes("a,b,c\n1,2,3\n4,5,6\n7,8,9\n"));

        var error = await Assert.ThrowsAsync<InvalidDataFileException>(() => ParquetTables.InspectAsync(csv));

        Assert.StartsWith("The file is not Parquet: ", error.Message);
    }

    [Fact]
    public async Task InspectAsync_TinyOrTruncatedFile_InvalidDataFileNotParquet()
    {
        using var file = await WriteAsync(MixedSchema, MixedRows);
        var truncated = new MemoryStream(file.ToArray()[..^10]);

        var tiny = await Assert.ThrowsAsync<InvalidDataFileException>(() => ParquetTables.InspectAsync(new MemoryStream("PAR1"u8.ToArray())));
        var cut = await Assert.ThrowsAsync<InvalidDataFileException>(() => ParquetTables.InspectAsync(truncated));

        Assert.StartsWith("The file is not Parquet", tiny.Message);
        Assert.StartsWith("The file is not Parquet", cut.Message);
    }

    private sealed class Nested
    {
        public int Id { get; set; }
        public List<int> Scores { get; set; } = [];
    }

    [Fact]
    public async Task InspectAsync_ListColumn_RefusedNamingTheColumn()
    {
        var file = new MemoryStream();
        await ParquetSerializer.SerializeAsync(new[] { new Nested { Id = 1, Scores = [1, 2] } }, file);
        file.Position = 0;

        var error = await Assert.ThrowsAsync<InvalidDataFileException>(() => ParquetTables.InspectAsync(file));

        Assert.Contains("'Scores'", error.Message);
        Assert.Contains("only flat columns", error.Message);
    }

    [Fact]
    public async Task InspectAsync_DuplicateColumnNames_RefusedNamingTheColumn()
    {
        var fields = new DataField[] { new DataField<int>("id"), new DataField<string>("name"), new DataField<int>("id") };
        var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync<int>(fields[0], new[] { 1 });
            await group.WriteAsync(fields[1], new[] { "a" });
            await group.WriteAsync<int>(fields[2], new[] { 2 });
        }
        file.Position = 0;

        var error = await Assert.ThrowsAsync<InvalidDataFileException>(() => ParquetTables.InspectAsync(file));

        Assert.Equal("Parquet column name 'id' appears twice.", error.Message);
    }

    [Fact]
    public async Task ReadRowsAsync_SourceTypes_CanonicalText()
    {
        var fields = new DataField[]
        {
            new DataField<int?>("int"),
            new DataField<long?>("long"),
            new DataField<float?>("float"),
            new DataField<double?>("double"),
            new DataField<decimal?>("decimal"),
            new DataField<bool?>("bool"),
            new DateTimeDataField("utc", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
            new DateTimeDataField("naive", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: true),
            new DataField<DateOnly?>("day"),
            new DataField<byte[]>("bytes"),
            new DataField<string>("text"),
            new DataField<int>("required"),
        };
        var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync<int>(fields[0], new int?[] { -5, null, 2_000_000_000 });
            await group.WriteAsync<long>(fields[1], new long?[] { 1_000_000_000_000_000, -3, null });
            await group.WriteAsync<float>(fields[2], new float?[] { 0.1f, float.NaN, null });
            await group.WriteAsync<double>(fields[3], new double?[] { 2.5, -0.0, 1e-7 });
            await group.WriteAsync<decimal>(fields[4], new decimal?[] { 12.340m, null, -1m });
            await group.WriteAsync<bool>(fields[5], new bool?[] { true, false, null });
            await group.WriteAsync<DateTime>(fields[6], new DateTime?[] { new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 3, 1, 8, 30, 15, DateTimeKind.Utc), null });
            await group.WriteAsync<DateTime>(fields[7], new DateTime?[] { new DateTime(2001, 1, 1, 0, 1, 0, DateTimeKind.Unspecified), null, new DateTime(2001, 7, 1) });
            await group.WriteAsync<DateOnly>(fields[8], new DateOnly?[] { new DateOnly(2020, 2, 29), null, new DateOnly(1, 1, 1) });
            await group.WriteAsync(fields[9], new byte[]?[] { [1, 2, 3], null, [] });
            await group.WriteAsync(fields[10], new string?[] { "hé llo", null, "" });
            await group.WriteAsync<int>(fields[11], new[] { 1, 2, 3 });
            group.CompleteValidate();
        }
        file.Position = 0;

        var info = await ParquetTables.InspectAsync(file);
        var rows = await ParquetTables.ReadRowsAsync(file, 0, 1).ToListAsync();

        Assert.Equal(fields.Select(f => f.Name), info.Columns);
        Assert.Equal(new string?[] { "-5", "1000000000000000", "0.1", "2.5", "12.34", "true", "2024-03-01", "2001-01-01T00:01:00", "2020-02-29", "AQID", "hé llo", "1" }, rows[0]);
        Assert.Equal(new string?[] { null, "-3", null, "-0", null, "false", "2024-03-01T08:30:15", null, null, null, null, "2" }, rows[1]);
        Assert.Equal(new string?[] { "2000000000", null, null, "1E-07", "-1", null, null, "2001-07-01", "0001-01-01", "", "", "3" }, rows[2]);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1025L)]
    [InlineData(16_384L)]
    [InlineData(999_999_999_999_999L)]
    [InlineData(-999_999_999_999_999L)]
    [InlineData(1_000_000_000_000_000L)]
    [InlineData(-1_000_000_000_000_000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void CanonicalInteger_AnyLong_SameTextAsDoubleRoundTrip(long value)
    {
        var expected = ((double)value).ToString("R", CultureInfo.InvariantCulture);

        Assert.Equal(expected, ParquetTables.Canonical.Integer(value));
        Assert.Equal(expected, DatasetCurator.Coerce(value.ToString(CultureInfo.InvariantCulture), ColumnType.Number));
    }

    [Fact]
    public async Task InspectAsync_Flights3m_ColumnsAndRowGroups()
    {
        await using var file = File.OpenRead(TestData.VegaDataset("flights-3m.parquet"));

        var info = await ParquetTables.InspectAsync(file);

        Assert.Equal(["date", "delay", "distance", "origin", "destination"], info.Columns);
        Assert.Equal(Flights, info.Rows);
        Assert.Equal(11, info.RowGroupRows.Count);
        Assert.Equal(info.Rows, info.RowGroupRows.Sum());
        output.WriteLine($"flights-3m: {info.RowGroupRows.Count} row groups: {string.Join(", ", info.RowGroupRows)}");
    }

    [Fact]
    public async Task ReadRowsAsync_Flights3m_StreamsAllRowsWithBoundedMemory()
    {
        await using var file = File.OpenRead(TestData.VegaDataset("flights-3m.parquet"));
        var info = await ParquetTables.InspectAsync(file);
        var memory = new MemoryProbe();

        var stopwatch = Stopwatch.StartNew();
        long rows = 0;
        string?[]? first = null, last = null;
        await foreach (var row in ParquetTables.ReadRowsAsync(file, 0, info.RowGroupRows.Count))
        {
            first ??= row;
            last = row;
            AssertFlightRow(row);
            if (++rows % 100_000 == 0) memory.Sample();
        }
        stopwatch.Stop();
        memory.Sample();

        output.WriteLine($"ReadRowsAsync flights-3m: {rows:N0} rows in {stopwatch.Elapsed.TotalSeconds:F2} s; {memory}");
        Assert.Equal(Flights, rows);
        Assert.Equal(new string?[] { "2001-01-01T00:01:00", "33", "2176", "LAS", "PHL" }, first);
        Assert.Equal("2001-07-01", last![0]);
        memory.AssertBounded();
    }

    [Fact]
    public async Task CreateWriterAsync_Flights3m_WritesAllRowsWithBoundedMemory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"flights-curated-{Guid.NewGuid():N}.parquet");
        try
        {
            await using var source = File.OpenRead(TestData.VegaDataset("flights-3m.parquet"));
            var groups = (await ParquetTables.InspectAsync(source)).RowGroupRows.Count;
            var memory = new MemoryProbe();

            var stopwatch = Stopwatch.StartNew();
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await using (var writer = await ParquetTables.CreateWriterAsync(target, FlightsSchema))
            {
                await foreach (var row in ParquetTables.ReadRowsAsync(source, 0, groups))
                {
                    await writer.AddAsync(row);
                    if (writer.Rows % 100_000 == 0) memory.Sample();
                }
                Assert.Equal(Flights, writer.Rows);
            }
            stopwatch.Stop();
            memory.Sample();
            output.WriteLine($"Read + CuratedParquetWriter flights-3m: {Flights:N0} rows in {stopwatch.Elapsed.TotalSeconds:F2} s, {new FileInfo(path).Length / 1024.0 / 1024.0:F1} MB written; {memory}");
            memory.AssertBounded();

            // Every row reads back as the source row, in order.
            await using var written = File.OpenRead(path);
            var info = await ParquetTables.InspectAsync(written);
            Assert.Equal(Flights, info.Rows);
            Assert.Equal(30, info.RowGroupRows.Count);
            var verify = Stopwatch.StartNew();
            await using var expected = ParquetTables.ReadRowsAsync(source, 0, groups).GetAsyncEnumerator();
            long compared = 0;
            await foreach (var row in ParquetTables.ReadRowsAsync(written, 0, info.RowGroupRows.Count))
            {
                Assert.True(await expected.MoveNextAsync());
                if (!row.AsSpan().SequenceEqual(expected.Current))
                    Assert.Fail($"Row {compared + 1}: [{string.Join(", ", row)}] != [{string.Join(", ", expected.Current)}]");
                compared++;
            }
            Assert.False(await expected.MoveNextAsync());
            Assert.Equal(Flights, compared);
            output.WriteLine($"Compared both files row by row in {verify.Elapsed.TotalSeconds:F2} s.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertFlightRow(string?[] row)
    {
        var date = row[0]!;
        if (row.Length != 5
            || !(date.Length == 10 || (date.Length == 19 && date[10] == 'T' && date[13] == ':' && date[16] == ':'))
            || date[4] != '-' || date[7] != '-'
            || !IsInteger(row[1]) || !IsInteger(row[2])
            || row[3] is not { Length: 3 } || row[4] is not { Length: 3 })
            Assert.Fail($"Not a canonical flights row: [{string.Join(", ", row)}]");
    }

    private static bool IsInteger(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        for (var i = text[0] == '-' ? 1 : 0; i < text.Length; i++)
            if (!char.IsAsciiDigit(text[i])) return false;
        return text != "-" && (text.Length == 1 || text[0] != '0');
    }

    /// <summary>Managed heap (sampled) and process peak working set growth since creation.</summary>
    private sealed class MemoryProbe
    {
        private readonly long _startPeak;
        private readonly long _startWorkingSet;
        private long _maxManaged;

        public MemoryProbe()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            _startPeak = process.PeakWorkingSet64;
            _startWorkingSet = process.WorkingSet64;
        }

        public void Sample() => _maxManaged = Math.Max(_maxManaged, GC.GetTotalMemory(false));

        private static long Peak()
        {
            using var process = Process.GetCurrentProcess();
            return process.PeakWorkingSet64;
        }

        public void AssertBounded()
        {
            Assert.True(_maxManaged < MaxManagedBytes, $"Managed heap reached {_maxManaged / 1048576} MB.");
            Assert.True(Peak() - _startWorkingSet < MaxWorkingSetGrowth, $"Working set grew by {(Peak() - _startWorkingSet) / 1048576} MB.");
        }

        public override string ToString() =>
            $"max managed heap {_maxManaged / 1048576} MB, working set at start {_startWorkingSet / 1048576} MB, " +
            $"process peak working set {_startPeak / 1048576} MB before -> {Peak() / 1048576} MB after";
    }

    /// <summary>A write-only stream without Seek, Position or Length, like an upload stream.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
