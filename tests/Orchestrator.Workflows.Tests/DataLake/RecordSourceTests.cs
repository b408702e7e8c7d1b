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
