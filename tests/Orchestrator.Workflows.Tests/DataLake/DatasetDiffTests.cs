using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Xunit.Abstractions;

namespace Orchestrator.Workflows.Tests.DataLake;

public sealed class DatasetDiffTests(ITestOutputHelper output)
{
    private static readonly string[] NumericColumns = ["precipitation", "temp_max", "temp_min", "wind"];

    private static bool Year(string date, params string[] years) => years.Any(date.StartsWith);

    private static bool Summer(string date) => date[5..7] is "06" or "07" or "08";

    private static IReadOnlyList<ColumnProfile> FirstTwoYears => SeattleWeather.Profiles(SeattleWeather.Where(d => Year(d, "2012", "2013")));

    private DatasetDiffResult Compare(IReadOnlyList<ColumnProfile> baseline, IReadOnlyList<ColumnProfile> current)
    {
        var result = DatasetDiff.Compare(baseline, current);
        foreach (var s in result.Shifts)
            output.WriteLine($"{s.Column} ({s.Type}): {s.Method} {s.Score:F4} psi {s.Psi:F4} shifted {s.Shifted}");
        output.WriteLine($"shifted share {result.ShiftedShare:F3}");
        return result;
    }

    private static ColumnShift Shift(DatasetDiffResult result, string column) => result.Shifts.Single(s => s.Column == column);

    [Fact]
    public void Compare_SeattleSplitByYear_PrecipitationNotShifted()
    {
        var later = SeattleWeather.Profiles(SeattleWeather.Where(d => Year(d, "2014", "2015")));

        var result = Compare(FirstTwoYears, later);

        var precipitation = Shift(result, "precipitation");
        Assert.Equal(ShiftMethod.Wasserstein, precipitation.Method);
        Assert.False(precipitation.Shifted);
        Assert.InRange(precipitation.Score, 0, 0.1);
        Assert.Empty(result.SchemaChanges);
        Assert.Equal(6, result.Shifts.Count);
    }

    [Fact]
    public void Compare_SummerOnlyAgainstFirstTwoYears_TemperaturesShifted()
    {
        var summer = SeattleWeather.Profiles(SeattleWeather.Where(Summer));

        var result = Compare(FirstTwoYears, summer);

        foreach (var column in new[] { "temp_max", "temp_min" })
        {
            var shift = Shift(result, column);
            Assert.Equal(ShiftMethod.Wasserstein, shift.Method);
            Assert.True(shift.Shifted);
            Assert.True(shift.Score > 0.1);
            Assert.True(shift.Psi > 0.25);
        }
        Assert.True(result.ShiftedShare > 0);
    }

    [Fact]
    public void Compare_RandomHalves_NumericScoresWithinSamplingNoise()
    {
        // One random split is not enough: with ~730 rows a side, even the exact Wasserstein-1 of the raw values over
        // the std exceeds 0.1 for some 10% of splits per column (sampling noise), so 40 seeded splits are checked.
        const int splits = 40;
        var scores = new Dictionary<string, List<double>>();
        var weatherShifted = 0;
        for (var seed = 1; seed <= splits; seed++)
        {
            var random = new Random(seed);
            var shuffled = SeattleWeather.Rows.OrderBy(_ => random.Next()).ToList();
            var half = shuffled.Count / 2;
            var result = DatasetDiff.Compare(SeattleWeather.Profiles(shuffled[..half]), SeattleWeather.Profiles(shuffled[half..]));
            foreach (var shift in result.Shifts.Where(s => ColumnStatsBuilder.IsNumeric(s.Type)))
            {
                Assert.Equal(ShiftMethod.Wasserstein, shift.Method);
                scores.TryAdd(shift.Column, []);
                scores[shift.Column].Add(shift.Score);
            }
            if (Shift(result, "weather").Shifted) weatherShifted++;
        }

        Assert.Equal(["date", .. NumericColumns], scores.Keys);
        foreach (var (column, values) in scores)
        {
            var sorted = values.Order().ToList();
            var shiftedShare = values.Count(v => v > DatasetDiff.DefaultThreshold) / (double)splits;
            output.WriteLine($"{column}: median {sorted[splits / 2]:F4}, max {sorted[^1]:F4}, shifted in {shiftedShare:P0} of splits");
            Assert.True(sorted[splits / 2] < 0.08, $"{column}: median score {sorted[splits / 2]}");
            Assert.True(shiftedShare <= 0.3, $"{column}: shifted in {shiftedShare:P0} of random splits");
        }
        Assert.Equal(0, weatherShifted);
    }

    [Fact]
    public void Compare_SummerWeatherMixAgainstAll_ShiftedByJensenShannon()
    {
        var result = Compare(SeattleWeather.Profiles(SeattleWeather.Rows), SeattleWeather.Profiles(SeattleWeather.Where(Summer)));

        var weather = Shift(result, "weather");
        Assert.Equal(ColumnType.Categorical, weather.Type);
        Assert.Equal(ShiftMethod.JensenShannon, weather.Method);
        Assert.True(weather.Shifted);
        Assert.InRange(weather.Score, 0.1, 1);
    }

    [Fact]
    public void Compare_SameProfiles_NothingShifted()
    {
        var profiles = SeattleWeather.Profiles(SeattleWeather.Rows);

        var result = DatasetDiff.Compare(profiles, profiles);

        Assert.All(result.Shifts, s => Assert.Equal(0, s.Score, 1e-12));
        Assert.All(result.Shifts, s => Assert.Equal(0, s.Psi!.Value, 1e-12));
        Assert.Equal(0, result.ShiftedShare);
        Assert.Empty(result.SchemaChanges);
    }

    [Fact]
    public void JensenShannon_IdenticalDistributions_Zero()
    {
        var p = new Dictionary<string, double> { ["a"] = 3, ["b"] = 1 };
        var q = new Dictionary<string, double> { ["a"] = 0.75, ["b"] = 0.25 };

        Assert.Equal(0, DatasetDiff.JensenShannon(p, q), 1e-12);
    }

    [Fact]
    public void JensenShannon_DisjointDistributions_One()
    {
        var p = new Dictionary<string, double> { ["a"] = 3, ["b"] = 1 };
        var q = new Dictionary<string, double> { ["c"] = 5 };

        Assert.Equal(1, DatasetDiff.JensenShannon(p, q), 1e-12);
    }

    [Fact]
    public void JensenShannon_HalfOverlap_KnownValue()
    {
        var p = new Dictionary<string, double> { ["a"] = 1, ["b"] = 1 };
        var q = new Dictionary<string, double> { ["b"] = 1, ["c"] = 1 };

        // m = (1/4, 1/2, 1/4): JSD = 1/2 bit.
        Assert.Equal(Math.Sqrt(0.5), DatasetDiff.JensenShannon(p, q), 1e-12);
    }

    [Fact]
    public void Psi_IdenticalShares_Zero()
    {
        Assert.Equal(0, DatasetDiff.Psi([0.2, 0.3, 0.5, 0], [0.2, 0.3, 0.5, 0]), 1e-12);
    }

    [Fact]
    public void Psi_EmptyBin_FiniteAndPositive()
    {
        var psi = DatasetDiff.Psi([0.5, 0.5], [1, 0]);

        Assert.True(double.IsFinite(psi));
        Assert.True(psi > 1);
    }

    [Fact]
    public void Wasserstein_ShiftedByOneBin_BinWidth()
    {
        var baseline = new Histogram([0, 1, 2, 3], [0, 10, 0]);
        var current = new Histogram([0, 1, 2, 3], [0, 0, 10]);

        Assert.Equal(1, DatasetDiff.Wasserstein(baseline, current), 1e-12);
        Assert.Equal(0, DatasetDiff.Wasserstein(baseline, baseline), 1e-12);
    }

    [Fact]
    public void Wasserstein_DifferentEdges_ComparedOnCdfs()
    {
        // Uniform on [0, 2] against uniform on [1, 3] (extending past the baseline): W1 = 1; the same uniform with finer bins: 0.
        Assert.Equal(1, DatasetDiff.Wasserstein(new Histogram([0, 1, 2], [2, 2]), new Histogram([1, 2, 3], [1, 1])), 1e-12);
        Assert.Equal(0, DatasetDiff.Wasserstein(new Histogram([0, 2], [4]), new Histogram([0, 0.5, 1, 1.5, 2], [1, 1, 1, 1])), 1e-12);
    }

    [Fact]
    public void Wasserstein_SameValuesBinnedOnDifferentEdges_Zero()
    {
        // Six zeros and four 3s, binned on [0, 6] and on [0, 3]: re-binned onto the baseline edges they agree.
        var baseline = new Histogram([0, 2, 4, 6], [6, 4, 0]);
        var current = new Histogram([0, 1, 2, 3], [6, 0, 4]);

        Assert.Equal(0, DatasetDiff.Wasserstein(baseline, current), 1e-12);
    }

    [Fact]
    public void Rebin_CurrentOutsideBaselineEdges_MassInOuterBins()
    {
        var shares = DatasetDiff.Rebin(new Histogram([-10, 0, 10, 20, 30], [1, 1, 1, 1]), [5, 15, 25]);

        Assert.Equal([0.625, 0.375], shares.Select(s => Math.Round(s, 12)));
    }

    [Fact]
    public void Compare_ConstantColumns_EqualScoreZeroElseShifted()
    {
        ColumnProfile Constant(string value) =>
            ColumnProfiles.ToProfile(Stats("c", ColumnType.Number, ColumnStatsBuilder.Edges(double.Parse(value), double.Parse(value)), value, value));

        Assert.Equal(0, DatasetDiff.Compare([Constant("5")], [Constant("5")]).Shifts[0].Score);
        Assert.True(DatasetDiff.Compare([Constant("5")], [Constant("6")]).Shifts[0].Shifted);
    }

    [Fact]
    public void Compare_ColumnAddedRemovedAndRetyped_SchemaChanges()
    {
        var baseline = new[]
        {
            Profile("id", ColumnType.Number, "1", "2"),
            Profile("kept", ColumnType.Categorical, "a", "b"),
            Profile("code", ColumnType.Number, "1", "2"),
            Profile("gone", ColumnType.Text, "x", "y"),
        };
        var current = new[]
        {
            Profile("id", ColumnType.Number, "1", "2"),
            Profile("kept", ColumnType.Categorical, "a", null),
            Profile("code", ColumnType.Categorical, "A1", "B2"),
            Profile("new", ColumnType.Date, "2024-01-01", "2024-01-02"),
        };

        var result = DatasetDiff.Compare(baseline, current);

        Assert.Equal(
            [
                new SchemaChange("kept", SchemaChangeKind.NullableChanged, "false", "true"),
                new SchemaChange("code", SchemaChangeKind.TypeChanged, ColumnType.Number, ColumnType.Categorical),
                new SchemaChange("gone", SchemaChangeKind.Removed, ColumnType.Text, null),
                new SchemaChange("new", SchemaChangeKind.Added, null, ColumnType.Date),
            ],
            result.SchemaChanges);
        Assert.Equal(["id", "kept"], result.Shifts.Select(s => s.Column));
        var kept = Shift(result, "kept");
        Assert.Equal(0, kept.NullShareBefore);
        Assert.Equal(0.5, kept.NullShareAfter);
        Assert.True(kept.Shifted); // {a, b} against {a}
        Assert.Equal(0.5, result.ShiftedShare);
    }

    [Fact]
    public void Compare_ValueOnlyInOneSidesTopValues_LumpedIntoOther()
    {
        // The current version lists 10 of its 11 values: "k" (absent from its top values) may hide in its other rows.
        var baseline = ColumnProfiles.ToProfile(Stats("c", ColumnType.Categorical, null, "k", "k"));
        var currentValues = Enumerable.Range(0, 10).SelectMany(i => Enumerable.Repeat(((char)('a' + i)).ToString(), 2)).Append("k").ToArray();
        var current = ColumnProfiles.ToProfile(Stats("c", ColumnType.Categorical, null, currentValues));
        Assert.DoesNotContain(current.TopValues, v => v.Value == "k");

        var shift = DatasetDiff.Shift(baseline, current);

        // Baseline is all "other"; current has 1 of 21 in "other": JS of (0..0, 1) vs (20/21 spread, 1/21).
        var p = new Dictionary<string, double> { ["other"] = 1 };
        var q = Enumerable.Range(0, 10).ToDictionary(i => i.ToString(), _ => 2.0);
        q["other"] = 1;
        Assert.Equal(DatasetDiff.JensenShannon(p, q), shift.Score, 1e-12);
    }

    private static ColumnStats Stats(string name, string type, IReadOnlyList<double>? edges, params string?[] values)
    {
        var builder = new ColumnStatsBuilder(name, type, edges);
        foreach (var value in values) builder.Add(value);
        return builder.ToStats();
    }

    private static ColumnProfile Profile(string name, string type, params string?[] values)
    {
        var numbers = values.Select(v => ColumnStatsBuilder.NumericValue(v, type)).OfType<double>().ToList();
        var edges = numbers.Count == 0 ? null : ColumnStatsBuilder.Edges(numbers.Min(), numbers.Max(), 4);
        return ColumnProfiles.ToProfile(Stats(name, type, edges, values));
    }
}
