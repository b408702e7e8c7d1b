using System.Text;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Tests.DataLake;

public sealed class TabularReaderTests
{
    private static TabularData Csv(string text) => TabularReader.ReadCsv(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void ReadCsv_SemicolonsQuotesAndCrlf_ParsesFieldsAndEmbeddedNewlines()
    {
        using var file = File.OpenRead(TestData.Fixture("semicolon-crlf.csv"));
        var data = TabularReader.ReadCsv(file);

        Assert.Equal(["id", "name", "score", "joined", "note"], data.Columns);
        Assert.Equal(3, data.Rows.Count);
        Assert.Equal("Smith, Ann", data.Rows[0][1]);
        Assert.Equal("said \"hi\"", data.Rows[0][4]);
        Assert.Equal("multi\r\nline", data.Rows[2][4]);
    }

    [Fact]
    public void ReadCsv_Utf8Bom_HeaderHasNoBom()
    {
        using var file = File.OpenRead(TestData.Fixture("bom.csv"));
        Assert.Equal(["a", "b"], TabularReader.ReadCsv(file).Columns);
    }

    [Fact]
    public void ReadCsv_RowWithWrongFieldCount_NamesTheLine()
    {
        var error = Assert.Throws<InvalidDataFileException>(() => Csv("a,b,c\n1,2,3\n4,5\n"));
        Assert.Equal("Line 3: expected 3 fields, found 2.", error.Message);
    }

    [Fact]
    public void ReadCsv_DuplicateColumn_Refused()
    {
        var error = Assert.Throws<InvalidDataFileException>(() => Csv("a,b,a\n1,2,3\n"));
        Assert.Contains("'a' appears twice", error.Message);
    }

    [Fact]
    public void ReadJson_ArrayOfObjects_UnionOfKeysInFirstSeenOrder()
    {
        using var file = File.OpenRead(TestData.Fixture("rows.json"));
        var data = TabularReader.ReadJson(file);

        Assert.Equal(["species", "bill", "island", "sex", "tagged"], data.Columns);
        Assert.Equal(new string?[] { "Gentoo", "46.5", "Biscoe", null, "true" }, data.Rows[1]);
        Assert.Null(data.Rows[0][3]);
    }

    [Fact]
    public void ReadJsonLines_ObjectsPerLine_UnionOfKeysAndLineNumbersInErrors()
    {
        var data = TabularReader.ReadJsonLines(new MemoryStream("{\"a\":1,\"b\":\"x\"}\n\n{\"a\":2,\"c\":true}\r\n"u8.ToArray()));
        Assert.Equal(["a", "b", "c"], data.Columns);
        Assert.Equal(new string?[] { "2", null, "true" }, data.Rows[1]);

        var error = Assert.Throws<InvalidDataFileException>(() => TabularReader.ReadJsonLines(new MemoryStream("{\"a\":1}\n{\"a\":\n"u8.ToArray())));
        Assert.StartsWith("Line 2: invalid JSON", error.Message);
    }

    [Fact]
    public void ReadJson_NotAnArray_ClearError()
    {
        var error = Assert.Throws<InvalidDataFileException>(() => TabularReader.ReadJson(new MemoryStream("{\"a\":1}"u8.ToArray())));
        Assert.Contains("array of objects", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00, 0x00 }, "csv", "NUL bytes")]
    [InlineData(new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x0A }, "csv", "no data rows")]
    [InlineData(new byte[] { 0x7B, 0x7D }, "json", "array of objects")]
    public void Sniff_NotTheClaimedFormat_SaysWhy(byte[] head, string format, string expected)
    {
        Assert.Contains(expected, TabularReader.Sniff(head, format, complete: true));
    }

    [Fact]
    public void Sniff_RealCsv_Accepted()
    {
        var head = File.ReadAllBytes(TestData.VegaDataset("seattle-weather.csv")).AsSpan(0, 4096);
        Assert.Null(TabularReader.Sniff(head, DataFormat.Csv));
    }
}

public sealed class DatasetCuratorTests
{
    private static TabularData BadNumberAndMissingLabel()
    {
        var data = new TabularData(["x", "when", "label"]);
        for (var i = 0; i < 40; i++) data.Rows.Add([i.ToString(), $"2024-01-{i % 28 + 1:D2}", i % 2 == 0 ? "a" : "b"]);
        data.Rows.Add(["oops", "2024-02-01", "a"]);
        data.Rows.Add(["3", "2024-02-02", "NA"]);
        return data;
    }

    [Fact]
    public void Curate_BadNumberAndMissingLabel_BadNumberQuarantinedUnlabelledRowKept()
    {
        var result = DatasetCurator.Curate(BadNumberAndMissingLabel(), "label");

        Assert.Equal(41, result.Curated.Rows.Count);
        Assert.Equal(1, result.RowsQuarantined);
        Assert.Equal(new QuarantinedRow(41, "x", "'oops' is not a number"), result.Quarantined[0]);
        Assert.Equal(new string?[] { "3", "2024-02-02", null }, result.Curated.Rows[^1].AsEnumerable());
        Assert.True(result.Schema.Find("label")!.Nullable);
        Assert.Equal([ColumnType.Number, ColumnType.Date, ColumnType.Categorical], result.Schema.Columns.Select(c => c.Type));
    }

    [Fact]
    public void Curate_LabelRequired_UnlabelledRowQuarantinedWithReason()
    {
        var result = DatasetCurator.Curate(BadNumberAndMissingLabel(), "label", requireLabel: true);

        Assert.Equal(40, result.Curated.Rows.Count);
        Assert.Equal(2, result.RowsQuarantined);
        Assert.Equal(new QuarantinedRow(42, "label", "the label is missing"), result.Quarantined[1]);
    }

    [Fact]
    public void Curate_SeattleWeather_InfersTypesAndKeepsEveryRow()
    {
        using var file = File.OpenRead(TestData.VegaDataset("seattle-weather.csv"));
        var result = DatasetCurator.Curate(TabularReader.ReadCsv(file), "weather");

        Assert.Equal(1461, result.Curated.Rows.Count);
        Assert.Equal(0, result.RowsQuarantined);
        Assert.Equal(5, result.Schema.Find("weather")!.Distinct);
        Assert.Equal(ColumnType.Date, result.Schema.Find("date")!.Type);
        Assert.Equal(ColumnType.Number, result.Schema.Find("temp_max")!.Type);
    }

    [Theory]
    [InlineData("42", "number", "42")]
    [InlineData("007", "number", "7")]
    [InlineData("-0", "number", "-0")]
    [InlineData("1.50", "number", "1.5")]
    [InlineData("1234567890123456789", "number", "1.2345678901234568E+18")]
    [InlineData("12a", "number", null)]
    [InlineData(".5", "number", "0.5")]
    [InlineData("+3", "number", "3")]
    [InlineData("-1e3", "number", "-1000")]
    [InlineData("Infinity", "number", null)]
    [InlineData("NaN", "number", null)]
    [InlineData("LAX", "number", null)]
    [InlineData("2015-01-01", "date", "2015-01-01")]
    [InlineData("2015-01-01T00:00:00", "date", "2015-01-01")]
    [InlineData("2015-01-01 10:30:00", "date", "2015-01-01T10:30:00")]
    [InlineData("2015/01/31", "date", "2015-01-31")]
    [InlineData("2015-02-30", "date", null)]
    [InlineData("2015-13-01T00:00:00", "date", null)]
    [InlineData("LAS", "date", null)]
    [InlineData("Yes", "boolean", "true")]
    [InlineData("NO", "boolean", "false")]
    [InlineData("nope", "boolean", null)]
    public void Coerce_Value_CanonicalTextOrNull(string value, string type, string? expected)
    {
        Assert.Equal(expected, DatasetCurator.Coerce(value, type));
    }

    [Theory]
    [InlineData("1.50", "number", "1.5", 1.5)]
    [InlineData("-12", "number", "-12", -12.0)]
    [InlineData("123456789012345", "number", "123456789012345", 123456789012345.0)]
    [InlineData("2015-01-02", "date", "2015-01-02", 16437.0)]
    [InlineData("2015-01-02T12:00:00.5000000Z", "date", "2015-01-02T12:00:00", 16437.5)]
    public void Coerce_ParsedValue_WhatTheCanonicalTextSays(string value, string type, string canonical, double number)
    {
        var text = DatasetCurator.Coerce(value, type, out var parsed, out var date);

        Assert.Equal(canonical, text);
        Assert.Equal(number, parsed);
        if (type == "date") Assert.Equal(DateTime.UnixEpoch.AddDays(number), date);
    }

    [Theory]
    [InlineData("  sun ", "sun")]
    [InlineData("N/A", null)]
    [InlineData("", null)]
    [InlineData(" NaN ", null)]
    [InlineData("Nantes", "Nantes")]
    public void Normalize_Cell_TrimmedOrMissing(string raw, string? expected)
    {
        Assert.Equal(expected, TabularReader.Normalize(raw));
    }
}
