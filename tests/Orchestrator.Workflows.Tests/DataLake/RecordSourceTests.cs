using System.Text;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Tests.DataLake;

public sealed class RecordSourceTests
{
    private static async Task<List<SourceRecord>> ReadAsync(string text, string format, RecordSource shape, long first = 1, long end = long.MaxValue)
    {
        var records = new List<SourceRecord>();
        await foreach (var r in RecordSource.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), format, shape, first, end)) records.Add(r);
        return records;
    }

    /// <summary>A record as one line of text: row, line, and its cells or its problem.</summary>
    private static string Show(SourceRecord r) => $"{r.Row}@{r.Line}: {(r.Cells is null ? r.Error : string.Join("|", r.Cells))}";

    [Fact]
    public async Task ReadAsync_CsvWithRaggedRowAndQuotedNewline_RowProblemReportedWithItsLine()
    {
        var records = await ReadAsync("a,b\r\n1,\"x\r\ny\"\r\n2,3,4\r\n\r\n5,6\r\n", DataFormat.Csv, RecordSource.Discover());

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Row));
        Assert.Equal([2L, 4L, 6L], records.Select(r => r.Line));
        Assert.Equal<string?>(["1", "x\r\ny"], records[0].Cells!.AsEnumerable());
        Assert.Equal("expected 2 fields, found 3", records[1].Error);
        Assert.Equal<string?>(["5", "6"], records[2].Cells!.AsEnumerable());
    }

    [Fact]
    public async Task ReadAsync_CsvUnclosedQuote_FileLevelErrorNamesTheLineTheRowStarts()
    {
        var error = await Assert.ThrowsAsync<InvalidDataFileException>(() => ReadAsync("a,b\n1,x\n2,\"y\n3,z\n", DataFormat.Csv, RecordSource.Discover()));

        Assert.Equal("Line 3: a quoted field is never closed (the file ends inside it).", error.Message);
    }

    [Fact]
    public async Task ReadAsync_CsvStrayQuoteInAnUnquotedField_ReadAsOpeningAQuotedField()
    {
        // Sep opens a quoted section at any quote, not only at a field's start (the former splitter kept it as text).
        var error = await Assert.ThrowsAsync<InvalidDataFileException>(() => ReadAsync("a,b\n1,12\" pipe\n2,x\n", DataFormat.Csv, RecordSource.Discover()));

        Assert.StartsWith("Line 2: a quoted field is never closed", error.Message);
    }

    [Fact]
    public async Task ReadAsync_CsvWithCarriageReturnLineEnds_OneRowPerLine()
    {
        var records = await ReadAsync("a;b\r1;2\r3;4\r", DataFormat.Csv, RecordSource.Discover());

        Assert.Equal([2L, 3L], records.Select(r => r.Line));
        Assert.Equal<string?>(["3", "4"], records[1].Cells!.AsEnumerable());
    }

    [Fact]
    public async Task ReadAsync_CsvRangeAfterRaggedRowsAndBlankLines_SameNumbersAsAWholeRead()
    {
        var csv = "n,m\n1,a\n\n2,b,extra\n3,\"c\nd\"\n\n4,e\n5,f\n";
        var whole = await ReadAsync(csv, DataFormat.Csv, RecordSource.Discover());

        var range = await ReadAsync(csv, DataFormat.Csv, RecordSource.Discover(), first: 3, end: 5);

        Assert.Equal(whole.Where(r => r.Row is >= 3 and < 5).Select(Show), range.Select(Show));
        Assert.Equal([3L, 4L], range.Select(r => r.Row));
        Assert.Equal([5L, 8L], range.Select(r => r.Line));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task ReadAsync_CsvFromARecordsOffset_SameRecordsAsReadFromTheStart(long first)
    {
        // A BOM, multi-byte characters, CRLF, a lone CR, a quoted line end, a blank line and a ragged row before the start.
        var csv = "\uFEFFn;m\r\n1;\"é\r\nà\"\r\n\r\n2;b;x\r3;\"q\"\"\"\n4;ü\r\n5;f\n6;g";
        var whole = await ReadAsync(csv, DataFormat.Csv, RecordSource.Discover());
        var record = whole.Single(r => r.Row == first);

        var records = new List<SourceRecord>();
        await foreach (var r in RecordSource.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), DataFormat.Csv, RecordSource.Discover(), first,
            start: new TextStart(record.Offset, record.Line, record.Row)))
            records.Add(r);

        Assert.Equal(whole.Where(r => r.Row >= first).Select(Show), records.Select(Show));
        Assert.Equal(6, whole.Count);
    }

    [Fact]
    public async Task ReadAheadAsync_ManyBatches_SameRecordsInOrder()
    {
        var csv = "n,m\n" + string.Concat(Enumerable.Range(1, 5000).Select(i => i % 700 == 0 ? $"{i}\n" : $"{i},x{i}\n"));
        var direct = await ReadAsync(csv, DataFormat.Csv, RecordSource.Discover());

        var ahead = new List<SourceRecord>();
        await foreach (var r in RecordSource.ReadAheadAsync(RecordSource.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), DataFormat.Csv, RecordSource.Discover())))
            ahead.Add(r);

        Assert.Equal(direct.Select(Show), ahead.Select(Show));
        Assert.Equal(5000, ahead.Count);
    }

    [Fact]
    public async Task ReadAheadAsync_FileProblemAfterSomeBatches_ThrownToTheCaller()
    {
        var csv = "n\n" + string.Concat(Enumerable.Range(1, 3000).Select(i => $"{i}\n")) + "\"open\n";
        var seen = 0;

        var error = await Assert.ThrowsAsync<InvalidDataFileException>(async () =>
        {
            await foreach (var _ in RecordSource.ReadAheadAsync(RecordSource.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), DataFormat.Csv, RecordSource.Discover())))
                seen++;
        });

        Assert.Equal("Line 3002: a quoted field is never closed (the file ends inside it).", error.Message);
        Assert.Equal(3000, seen);
    }

    [Fact]
    public async Task ReadAsync_RowRange_YieldsOnlyThoseRowsWithTheirNumbers()
    {
        var csv = "n\n" + string.Concat(Enumerable.Range(1, 10).Select(i => $"{i}\n"));

        var records = await ReadAsync(csv, DataFormat.Csv, RecordSource.Discover(), first: 4, end: 7);

        Assert.Equal([4L, 5L, 6L], records.Select(r => r.Row));
        Assert.Equal<string?>(["4", "5", "6"], records.Select(r => r.Cells![0]));
    }

    [Fact]
    public async Task ReadAsync_JsonArrayWithKnownColumns_AlignsEveryRowAndReportsNonObjects()
    {
        var shape = RecordSource.WithColumns(["a", "b"]);

        var records = await ReadAsync("[{\"b\": 2, \"a\": 1}, 7, {\"a\": \"x\"}]", DataFormat.Json, shape);

        Assert.Equal<string?>(["1", "2"], records[0].Cells!.AsEnumerable());
        Assert.Equal("expected an object, found Number", records[1].Error);
        Assert.Equal<string?>(["x", null], records[2].Cells!.Concat(new string?[2]).Take(2));
    }

    [Fact]
    public async Task ReadAsync_JsonThatIsNotAnArray_FileLevelError()
    {
        var error = await Assert.ThrowsAsync<InvalidDataFileException>(() => ReadAsync("{\"a\": 1}", DataFormat.Json, RecordSource.Discover()));
        Assert.Contains("array of objects", error.Message);
    }

    [Fact]
    public async Task ReadAsync_JsonLinesWithABadLine_QuarantinableRowAndColumnsGrow()
    {
        var shape = RecordSource.Discover();

        var records = await ReadAsync("{\"a\": 1}\n{oops\n\n{\"a\": 2, \"c\": true}\n", DataFormat.JsonLines, shape);

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Row));
        Assert.StartsWith("invalid JSON", records[1].Error);
        Assert.Equal(4, records[2].Line);
        Assert.Equal(["a", "c"], shape.Columns);
    }

    [Fact]
    public async Task ReadAsync_ParquetRowRange_ReadsOnlyTheRowGroupsThatHoldIt()
    {
        var schema = new DatasetSchema([new ColumnSchema("n", ColumnType.Number, false, 10)]);
        var file = new MemoryStream();
        await using (var writer = await ParquetTables.CreateWriterAsync(file, schema, rowGroupSize: 3))
            for (var i = 1; i <= 10; i++) await writer.AddAsync([i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var records = new List<SourceRecord>();

        await foreach (var r in RecordSource.ReadAsync(new MemoryStream(file.ToArray()), DataFormat.Parquet, RecordSource.Discover(), 4, 8)) records.Add(r);

        Assert.Equal([4L, 5L, 6L, 7L], records.Select(r => r.Row));
        Assert.Equal<string?>(["4", "5", "6", "7"], records.Select(r => r.Cells![0]));
    }
}
