using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Tests.DataLake;

public sealed class ColumnStatisticsTests
{
    private static ColumnStats Build(string type, IReadOnlyList<double>? edges, IEnumerable<string?> values, int maxTrackedValues = 1000)
    {
        var builder = new ColumnStatsBuilder("c", type, edges, maxTrackedValues);
        foreach (var value in values) builder.Add(value);
        return builder.ToStats();
    }

    private static double? Std(ColumnStats stats) => ColumnProfiles.ToProfile(stats).Std;

    [Fact]
    public void Merge_ThreeChunksOfSeattleWeather_EqualsStatsOfAllRows()
    {
        var rows = SeattleWeather.Rows;
        var edges = SeattleWeather.Edges(rows);
        var whole = SeattleWeather.Stats(rows, edges);
        var third = rows.Count / 3;
        var chunks = new[] { rows.Take(third), rows.Skip(third).Take(third), rows.Skip(2 * third) }
            .Select(chunk => SeattleWeather.Stats(chunk.ToList(), edges))
            .ToList();
        Assert.Equal(rows.Count, chunks.Sum(c => c[0].Count));

        for (var c = 0; c < whole.Count; c++)
        {
            var merged = ColumnStatsBuilder.Merge(ColumnStatsBuilder.Merge(chunks[0][c], chunks[1][c]), chunks[2][c]);
            var expected = whole[c];
            Assert.Equal(expected.Name, merged.Name);
            Assert.Equal(expected.Type, merged.Type);
            Assert.Equal(expected.Count, merged.Count);
            Assert.Equal(expected.Nulls, merged.Nulls);
            Assert.Equal(expected.Numeric, merged.Numeric);
            Assert.Equal(expected.Mean, merged.Mean, 1e-9);
            Assert.Equal(Std(expected) ?? 0, Std(merged) ?? 0, 1e-9);
            Assert.Equal(expected.Min, merged.Min);
            Assert.Equal(expected.Max, merged.Max);
            Assert.Equal(expected.HistogramEdges, merged.HistogramEdges);
            Assert.Equal(expected.HistogramCounts, merged.HistogramCounts);
            Assert.Equal(expected.ValueCounts?.OrderBy(p => p.Key), merged.ValueCounts?.OrderBy(p => p.Key));
            Assert.Equal(expected.ValueCountsTruncated, merged.ValueCountsTruncated);
        }

        var types = whole.ToDictionary(s => s.Name, s => s.Type);
        Assert.Equal(ColumnType.Date, types["date"]);
        Assert.Equal(ColumnType.Number, types["temp_max"]);
        Assert.Equal(ColumnType.Categorical, types["weather"]);
        Assert.Equal(rows.Count, whole.Single(s => s.Name == "temp_max").HistogramCounts!.Sum());
        Assert.Equal(rows.Count, whole.Single(s => s.Name == "weather").ValueCounts!.Values.Sum());
    }

    [Fact]
    public void ToProfile_OneToFour_MeanAndSampleStd()
    {
        var profile = ColumnProfiles.ToProfile(Build(ColumnType.Number, null, ["1", "2", null, "3", "4"]));

        Assert.Equal(5, profile.Count);
        Assert.Equal(1, profile.Nulls);
        Assert.Equal(0.2, profile.NullShare, 1e-12);
        Assert.Equal(2.5, profile.Mean!.Value, 1e-12);
        Assert.Equal(Math.Sqrt(5.0 / 3), profile.Std!.Value, 1e-12);
        Assert.Equal(1, profile.Min);
        Assert.Equal(4, profile.Max);
        Assert.Empty(profile.TopValues);
        Assert.Null(profile.Histogram);
        Assert.Null(profile.DistinctValues);
    }

    [Fact]
    public void ToProfile_OneValue_StdNull()
    {
        var profile = ColumnProfiles.ToProfile(Build(ColumnType.Number, null, ["7"]));

        Assert.Equal(7, profile.Mean);
        Assert.Null(profile.Std);
    }

    [Fact]
    public void ToProfile_NoValues_MomentsNull()
    {
        var profile = ColumnProfiles.ToProfile(Build(ColumnType.Number, [0, 1], [null, null]));

        Assert.Equal(1, profile.NullShare);
        Assert.Null(profile.Mean);
        Assert.Null(profile.Min);
        Assert.Null(profile.Std);
        Assert.Equal([0L], profile.Histogram!.Counts);
    }

    [Fact]
    public void Add_ValuesOutsideEdges_ClampedToFirstAndLastBin()
    {
        var stats = Build(ColumnType.Number, [0, 10, 20, 30], ["-5", "0", "9.99", "10", "25", "30", "31", "1e9"]);

        Assert.Equal([3L, 1, 4], stats.HistogramCounts);
        Assert.Equal(-5, stats.Min);
        Assert.Equal(1e9, stats.Max);
    }

    [Fact]
    public void Add_UnparseableNumber_CountedAsRowNotInMoments()
    {
        var stats = Build(ColumnType.Number, null, ["1", "x", "3"]);

        Assert.Equal(3, stats.Count);
        Assert.Equal(0, stats.Nulls);
        Assert.Equal(2, stats.Numeric);
        Assert.Equal(2, stats.Mean);
    }

    [Fact]
    public void Add_Dates_DaysSinceUnixEpoch()
    {
        var stats = Build(ColumnType.Date, ColumnStatsBuilder.Edges(0, 2, 2), ["1970-01-01", "1970-01-02T12:00:00", "1970-01-03"]);

        Assert.Equal(0, stats.Min);
        Assert.Equal(2, stats.Max);
        Assert.Equal((0 + 1.5 + 2) / 3.0, stats.Mean, 1e-12);
        Assert.Equal([1L, 2], stats.HistogramCounts);
        Assert.Equal(1.5, ColumnStatsBuilder.NumericValue("1970-01-02T12:00:00", ColumnType.Date));
    }

    [Fact]
    public void Add_MoreDistinctValuesThanCap_TruncatedAndDistinctUnknown()
    {
        var stats = Build(ColumnType.Categorical, null, ["a", "b", "a", "c", "d", "a", "b"], maxTrackedValues: 3);
        var profile = ColumnProfiles.ToProfile(stats);

        Assert.True(stats.ValueCountsTruncated);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["b"] = 2, ["c"] = 1 }, stats.ValueCounts);
        Assert.Null(profile.DistinctValues);
        Assert.Equal([new ValueCount("a", 3), new ValueCount("b", 2), new ValueCount("c", 1)], profile.TopValues);
    }

    [Fact]
    public void Add_FewerDistinctValuesThanCap_DistinctKnown()
    {
        var profile = ColumnProfiles.ToProfile(Build(ColumnType.Boolean, null, ["true", "false", "true", null]));

        Assert.Equal(2, profile.DistinctValues);
        Assert.Equal([new ValueCount("true", 2), new ValueCount("false", 1)], profile.TopValues);
        Assert.Null(profile.Mean);
        Assert.Null(profile.Histogram);
    }

    [Fact]
    public void ToProfile_ManyValues_TopTenByCountThenValue()
    {
        var values = Enumerable.Range(0, 15).SelectMany(i => Enumerable.Repeat($"v{i:00}", i < 5 ? 2 : 1));
        var profile = ColumnProfiles.ToProfile(Build(ColumnType.Text, null, values));

        Assert.Equal(10, profile.TopValues.Count);
        Assert.Equal(["v00", "v01", "v02", "v03", "v04", "v05", "v06", "v07", "v08", "v09"], profile.TopValues.Select(v => v.Value));
        Assert.Equal(15, profile.DistinctValues);
    }

    [Fact]
    public void Merge_CombinedValuesAboveCap_RecappedByCountAndTruncated()
    {
        var a = Build(ColumnType.Categorical, null, ["x", "x", "y", "z"]);
        var b = Build(ColumnType.Categorical, null, ["x", "w", "w", "y"]);

        var merged = ColumnStatsBuilder.Merge(a, b, maxTrackedValues: 3);

        Assert.True(merged.ValueCountsTruncated);
        Assert.Equal(new Dictionary<string, long> { ["x"] = 3, ["w"] = 2, ["y"] = 2 }, merged.ValueCounts);
        Assert.Equal(8, merged.Count);
        Assert.False(ColumnStatsBuilder.Merge(a, b).ValueCountsTruncated);
    }

    [Fact]
    public void Merge_TruncatedSide_ResultTruncated()
    {
        var a = Build(ColumnType.Text, null, ["a", "b", "c"], maxTrackedValues: 2);
        var b = Build(ColumnType.Text, null, ["a"]);

        Assert.True(ColumnStatsBuilder.Merge(b, a).ValueCountsTruncated);
    }

    [Fact]
    public void Merge_EmptySide_KeepsOtherMoments()
    {
        var a = Build(ColumnType.Number, [0, 5], ["1", "2", "3", "4"]);
        var b = Build(ColumnType.Number, [0, 5], [null]);

        var merged = ColumnStatsBuilder.Merge(b, a);

        Assert.Equal(a.Mean, merged.Mean);
        Assert.Equal(a.M2, merged.M2);
        Assert.Equal(1, merged.Min);
        Assert.Equal(5, merged.Count);
        Assert.Equal([4L], merged.HistogramCounts);
    }

    [Fact]
    public void Merge_DifferentEdges_Throws()
    {
        var a = Build(ColumnType.Number, [0, 1], ["0.5"]);
        var b = Build(ColumnType.Number, [0, 2], ["0.5"]);

        Assert.Throws<ArgumentException>(() => ColumnStatsBuilder.Merge(a, b));
    }

    [Fact]
    public void Edges_Range_EqualWidthEndingAtMax()
    {
        var edges = ColumnStatsBuilder.Edges(0, 1, 4);

        Assert.Equal([0, 0.25, 0.5, 0.75, 1], edges);
        Assert.Equal(21, ColumnStatsBuilder.Edges(-3.3, 17.1).Count);
        Assert.Equal(17.1, ColumnStatsBuilder.Edges(-3.3, 17.1)[^1]);
    }

    [Fact]
    public void Edges_MinEqualsMax_SpansHalfEitherSide()
    {
        var edges = ColumnStatsBuilder.Edges(5, 5, 2);

        Assert.Equal([4.5, 5, 5.5], edges);
        Assert.Equal([0L, 2], Build(ColumnType.Number, edges, ["5", "5"]).HistogramCounts);
    }

    [Fact]
    public void Serialize_ColumnStats_RoundTrips()
    {
        var numeric = Build(ColumnType.Number, ColumnStatsBuilder.Edges(0, 4, 4), ["1", "2", null, "3.5"]);
        var categorical = Build(ColumnType.Categorical, null, ["b", "a", "b", null], maxTrackedValues: 1);

        foreach (var stats in new[] { numeric, categorical, Build(ColumnType.Text, null, []) })
        {
            var json = Json.Serialize(stats);
            var back = Json.Deserialize<ColumnStats>(json);
            Assert.Equal(json, Json.Serialize(back));
            Assert.Equal(stats.Mean, back.Mean);
            Assert.Equal(stats.M2, back.M2);
            Assert.Equal(stats.Min, back.Min);
            Assert.Equal(stats.HistogramCounts, back.HistogramCounts);
            Assert.Equal(stats.ValueCounts, back.ValueCounts);
        }
        Assert.Contains("\"histogramEdges\":[0,1,2,3,4]", Json.Serialize(numeric));
        Assert.Contains("\"valueCounts\":{\"b\":2}", Json.Serialize(categorical));
    }

    [Fact]
    public void Serialize_ColumnProfile_RoundTrips()
    {
        var profiles = SeattleWeather.Profiles(SeattleWeather.Rows);

        foreach (var profile in profiles.Append(ColumnProfiles.ToProfile(Build(ColumnType.Number, null, []))))
        {
            var json = Json.Serialize(profile);
            var back = Json.Deserialize<ColumnProfile>(json);
            Assert.Equal(json, Json.Serialize(back));
            Assert.Equal(profile.Std, back.Std);
            Assert.Equal(profile.TopValues, back.TopValues);
            Assert.Equal(profile.Histogram?.Counts, back.Histogram?.Counts);
        }
        Assert.Contains("\"topValues\":[{\"value\":\"rain\",\"count\":", Json.Serialize(profiles.Single(p => p.Name == "weather")));
    }
}

/// <summary>seattle-weather.csv curated once, and the two-pass chunked statistics an ingestion would compute.</summary>
internal static class SeattleWeather
{
    private static readonly Lazy<CurationResult> Curation = new(() =>
    {
        using var file = File.OpenRead(TestData.VegaDataset("seattle-weather.csv"));
        return DatasetCurator.Curate(TabularReader.ReadCsv(file), null);
    });

    public static IReadOnlyList<string?[]> Rows => Curation.Value.Curated.Rows;

    public static IReadOnlyList<ColumnSchema> Columns => Curation.Value.Schema.Columns;

    public static int Index(string column) => Curation.Value.Curated.IndexOf(column);

    /// <summary>First pass: histogram edges per column from the rows' min and max (null for non-numeric columns).</summary>
    public static IReadOnlyList<IReadOnlyList<double>?> Edges(IReadOnlyList<string?[]> rows) => Columns.Select((column, c) =>
    {
        if (!ColumnStatsBuilder.IsNumeric(column.Type)) return null;
        var values = rows.Select(r => ColumnStatsBuilder.NumericValue(r[c], column.Type)).OfType<double>().ToList();
        return values.Count == 0 ? null : ColumnStatsBuilder.Edges(values.Min(), values.Max());
    }).ToList();

    public static IReadOnlyList<ColumnStats> Stats(IReadOnlyList<string?[]> rows, IReadOnlyList<IReadOnlyList<double>?> edges)
    {
        var builders = Columns.Select((column, c) => new ColumnStatsBuilder(column.Name, column.Type, edges[c])).ToList();
        foreach (var row in rows)
            for (var c = 0; c < builders.Count; c++) builders[c].Add(row[c]);
        return builders.Select(b => b.ToStats()).ToList();
    }

    public static IReadOnlyList<ColumnProfile> Profiles(IReadOnlyList<string?[]> rows) =>
        Stats(rows, Edges(rows)).Select(s => ColumnProfiles.ToProfile(s)).ToList();

    public static IReadOnlyList<string?[]> Where(Func<string, bool> date) => Rows.Where(r => date(r[Index("date")]!)).ToList();
}
