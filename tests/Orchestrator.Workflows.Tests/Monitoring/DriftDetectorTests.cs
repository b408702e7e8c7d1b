using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Tests.DataLake;
using Xunit.Abstractions;

namespace Orchestrator.Workflows.Tests.Monitoring;

public sealed class DriftDetectorTests(ITestOutputHelper output)
{
    /// <summary>The model's features: every column but the date (a time index drifts by construction).</summary>
    private static readonly string[] Features = ["precipitation", "temp_max", "temp_min", "wind", "weather"];

    private static readonly DriftSettings Defaults = new();

    private static bool Year(string date, params string[] years) => years.Any(date.StartsWith);

    private static bool Summer(string date) => date[5..7] is "06" or "07" or "08";

    private static IReadOnlyList<string?[]> FirstTwoYears => SeattleWeather.Where(d => Year(d, "2012", "2013"));

    /// <summary>Window statistics of <paramref name="rows"/> for the features, binned with the baseline's edges.</summary>
    private static Dictionary<string, ColumnStats> Window(IReadOnlyList<ColumnProfile> baseline, IEnumerable<string?[]> rows, IEnumerable<string>? features = null)
    {
        var builders = DriftDetector.WindowBuilders(baseline, features ?? Features);
        var indexes = builders.Keys.ToDictionary(f => f, SeattleWeather.Index);
        foreach (var row in rows)
            foreach (var (feature, builder) in builders) builder.Add(row[indexes[feature]]);
        return builders.ToDictionary(p => p.Key, p => p.Value.ToStats());
    }

    private DriftReport Detect(IReadOnlyList<ColumnProfile> baseline, IReadOnlyList<string?[]> rows, string? label = null, ColumnStats? predictions = null, IEnumerable<string>? features = null)
    {
        var report = DriftDetector.Detect(baseline, Window(baseline, rows, features), Defaults, label, predictions);
        foreach (var f in report.Features.Append(report.Prediction).OfType<FeatureDrift>()) Write(f);
        output.WriteLine($"drifted share {report.DriftedShare:F3}, dataset drift {report.DatasetDrift}, window rows {report.WindowRows}");
        return report;
    }

    private void Write(FeatureDrift f) => output.WriteLine(
        $"{f.Feature} ({f.Type}): {f.Method} score {f.Score:G4} p {f.PValue:G4} psi {f.Psi:F4} drifted {f.Drifted} ({f.BaselineRows} vs {f.WindowRows})");

    private static FeatureDrift Feature(DriftReport report, string name) => report.Features.Single(f => f.Feature == name);

    [Fact]
    public void Detect_SmallBaselineAgainstLaterSummers_TemperaturesDriftByKs()
    {
        var baseline = SeattleWeather.Profiles(FirstTwoYears);
        var summers = SeattleWeather.Where(d => Year(d, "2014", "2015") && Summer(d));

        var report = Detect(baseline, summers);

        Assert.Equal(731, Feature(report, "temp_max").BaselineRows);
        Assert.Equal(184, report.WindowRows);
        foreach (var column in new[] { "temp_max", "temp_min" })
        {
            var drift = Feature(report, column);
            Assert.Equal(DriftMethod.KolmogorovSmirnov, drift.Method);
            Assert.True(drift.Drifted);
            Assert.True(drift.PValue < 1e-6);
            Assert.True(drift.Psi > 0.25);
        }
        var weather = Feature(report, "weather");
        Assert.Equal(DriftMethod.ChiSquared, weather.Method);
        Assert.Equal(Features.Length, report.Features.Count);
        Assert.Equal((double)report.Features.Count(f => f.Drifted) / Features.Length, report.DriftedShare, 12);
        Assert.Equal(report.DriftedShare >= 0.5, report.DatasetDrift);
    }

    [Fact]
    public void Detect_FullBaselineAgainstSummers_TemperaturesDriftByWasserstein()
    {
        var baseline = SeattleWeather.Profiles(SeattleWeather.Rows);
        var summers = SeattleWeather.Where(Summer);

        var report = Detect(baseline, summers);

        Assert.Equal(1461, Feature(report, "temp_max").BaselineRows);
        foreach (var column in new[] { "temp_max", "temp_min" })
        {
            var drift = Feature(report, column);
            Assert.Equal(DriftMethod.Wasserstein, drift.Method);
            Assert.True(drift.Drifted);
            Assert.True(drift.Score > 0.1);
            Assert.Null(drift.PValue);
            Assert.True(drift.Psi > 0.25);
        }
        Assert.Equal(DriftMethod.JensenShannon, Feature(report, "weather").Method);
        Assert.Equal(report.DriftedShare >= 0.5, report.DatasetDrift);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Detect_EveryOtherBaselineRow_NothingDrifts(bool fullBaseline)
    {
        var rows = fullBaseline ? SeattleWeather.Rows : FirstTwoYears;
        var baseline = SeattleWeather.Profiles(rows);

        var report = Detect(baseline, rows.Where((_, i) => i % 2 == 0).ToList());

        Assert.All(report.Features, f => Assert.False(f.Drifted));
        Assert.Equal(0, report.DriftedShare);
        Assert.False(report.DatasetDrift);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Detect_RandomSamplesOfBaseline_AtMostOneFeatureDriftsInNineOfTen(bool fullBaseline)
    {
        var rows = fullBaseline ? SeattleWeather.Rows : FirstTwoYears;
        var baseline = SeattleWeather.Profiles(rows);

        var quiet = 0;
        var clean = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var sample = rows.ToList();
            new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sample));
            var report = DriftDetector.Detect(baseline, Window(baseline, sample.Take(300)), Defaults);
            var drifted = report.Features.Where(f => f.Drifted).Select(f => f.Feature).ToList();
            output.WriteLine($"seed {seed}: " + string.Join(", ", report.Features.Select(f => $"{f.Feature} {f.Score:F3}{(f.PValue is { } p ? $" p {p:F3}" : "")}")) +
                $" → drifted [{string.Join(", ", drifted)}]");
            Assert.False(report.DatasetDrift);
            if (drifted.Count <= 1) quiet++;
            if (drifted.Count == 0) clean++;
        }
        output.WriteLine($"{quiet}/20 samples with at most one drifted feature, {clean}/20 with none");
        Assert.True(quiet >= 18, $"{quiet}/20 samples had at most one drifted feature.");
    }

    [Theory]
    [InlineData(false, DriftMethod.ChiSquared)]
    [InlineData(true, DriftMethod.JensenShannon)]
    public void Detect_PredictionsAllSun_PredictionDrifted(bool fullBaseline, string method)
    {
        var rows = fullBaseline ? SeattleWeather.Rows : FirstTwoYears;
        var baseline = SeattleWeather.Profiles(rows);
        var predictions = DriftDetector.WindowBuilders(baseline, [], label: "weather")[DriftDetector.PredictionKey];
        for (var i = 0; i < 200; i++) predictions.Add("sun");

        var report = Detect(baseline, [], "weather", predictions.ToStats(), features: []);

        var prediction = Assert.IsType<FeatureDrift>(report.Prediction);
        Assert.Equal("weather", prediction.Feature);
        Assert.Equal(method, prediction.Method);
        Assert.True(prediction.Drifted);
        Assert.True(prediction.Psi > 0.25);
        Assert.Empty(report.Features);
        Assert.Equal(200, report.WindowRows);
    }

    [Theory]
    [InlineData(false, DriftMethod.ChiSquared)]
    [InlineData(true, DriftMethod.JensenShannon)]
    public void Detect_PredictionsAreBaselineLabels_PredictionNotDrifted(bool fullBaseline, string method)
    {
        var rows = fullBaseline ? SeattleWeather.Rows : FirstTwoYears;
        var baseline = SeattleWeather.Profiles(rows);
        var predictions = DriftDetector.WindowBuilders(baseline, [], label: "weather")[DriftDetector.PredictionKey];
        foreach (var row in rows) predictions.Add(row[SeattleWeather.Index("weather")]);

        var report = Detect(baseline, [], "weather", predictions.ToStats(), features: []);

        var prediction = Assert.IsType<FeatureDrift>(report.Prediction);
        Assert.Equal(method, prediction.Method);
        Assert.False(prediction.Drifted);
        Assert.Equal(0, prediction.Score, 12);
    }

    [Fact]
    public void Compare_EmptyWindow_NotDriftedEmpty()
    {
        var baseline = SeattleWeather.Profiles(FirstTwoYears);

        var report = DriftDetector.Detect(baseline, Window(baseline, []), Defaults);

        Assert.All(report.Features, f =>
        {
            Assert.Equal(DriftMethod.Empty, f.Method);
            Assert.False(f.Drifted);
            Assert.Equal(0, f.Score);
        });
        Assert.Equal(0, report.WindowRows);
        Assert.False(report.DatasetDrift);
    }

    [Fact]
    public void Compare_WindowWithoutHistogram_Throws()
    {
        var baseline = SeattleWeather.Profiles(FirstTwoYears).Single(p => p.Name == "wind");
        var window = new ColumnStatsBuilder("wind", ColumnType.Number, null);
        window.Add("3");

        Assert.Throws<ArgumentException>(() => DriftDetector.Compare(baseline, window.ToStats(), Defaults));
    }

    [Fact]
    public void WindowBuilders_UnknownFeature_Throws()
    {
        var baseline = SeattleWeather.Profiles(FirstTwoYears);

        Assert.Throws<ArgumentException>(() => DriftDetector.WindowBuilders(baseline, ["humidity"]));
    }

    [Fact]
    public void Detect_LowerThresholds_MoreFeaturesDrift()
    {
        var baseline = SeattleWeather.Profiles(SeattleWeather.Rows);
        var window = Window(baseline, SeattleWeather.Where(d => Year(d, "2015")));

        var strict = DriftDetector.Detect(baseline, window, new DriftSettings(NumericThreshold: 0, CategoricalThreshold: 0, DatasetDriftShare: 1));
        var lenient = DriftDetector.Detect(baseline, window, new DriftSettings(NumericThreshold: 10, CategoricalThreshold: 1));

        Assert.All(strict.Features, f => Assert.True(f.Drifted));
        Assert.True(strict.DatasetDrift);
        Assert.All(lenient.Features, f => Assert.False(f.Drifted));
    }

    [Theory]
    [InlineData(3.841, 1)]
    [InlineData(5.991, 2)]
    [InlineData(11.070, 5)]
    [InlineData(18.307, 10)]
    public void ChiSquaredSurvival_CriticalValueAtFivePercent_PointZeroFive(double x, int df) =>
        Assert.InRange(DriftDetector.ChiSquaredSurvival(x, df), 0.049, 0.051);

    [Fact]
    public void ChiSquaredSurvival_KnownValues_Match()
    {
        Assert.Equal(1, DriftDetector.ChiSquaredSurvival(0, 3));
        Assert.Equal(Math.Exp(-1), DriftDetector.ChiSquaredSurvival(2, 2), 12); // df 2: e^{-x/2}
        Assert.InRange(DriftDetector.ChiSquaredSurvival(6.635, 1), 0.0099, 0.0101);
        Assert.InRange(DriftDetector.ChiSquaredSurvival(100, 3), 0, 1e-20);
    }

    // P-values the former hand-written incomplete gamma (Numerical Recipes series and continued fraction, Lanczos
    // log-gamma) gave, to 17 significant digits: MathNet's must agree to 1e-9 relative, small tails included.
    [Theory]
    [InlineData(0.5, 1, 0.4795001221869536)]
    [InlineData(3.84, 1, 0.05004352124870501)]
    [InlineData(6.635, 1, 0.009999419574042523)]
    [InlineData(2.0, 2, 0.3678794411714422)]
    [InlineData(7.81, 3, 0.05010605635000596)]
    [InlineData(1.2, 4, 0.8780986177504424)]
    [InlineData(15.5, 8, 0.050122054532665244)]
    [InlineData(30.0, 10, 0.0008566412107753009)]
    [InlineData(55.0, 40, 0.05745735167659126)]
    [InlineData(0.01, 5, 0.9999994699729957)]
    [InlineData(120.0, 60, 6.876264968732035E-06)]
    [InlineData(100.0, 3, 1.554159431389603E-21)]
    public void ChiSquaredSurvival_ValuesOfTheFormerImplementation_EqualWithinOneInABillion(double x, int df, double former) =>
        Assert.InRange(DriftDetector.ChiSquaredSurvival(x, df), former * (1 - 1e-9), former * (1 + 1e-9));

    [Fact]
    public void KolmogorovSmirnovPValue_IdenticalSamples_One() =>
        Assert.Equal(1, DriftDetector.KolmogorovSmirnovPValue(0, 100, 100));

    [Fact]
    public void KolmogorovSmirnovPValue_LargeDifference_Small() =>
        Assert.True(DriftDetector.KolmogorovSmirnovPValue(0.3, 100, 100) < 0.001);

    [Fact]
    public void KolmogorovSmirnovPValue_SmallDifference_Large() =>
        Assert.True(DriftDetector.KolmogorovSmirnovPValue(0.05, 100, 100) > 0.9);

    [Fact]
    public void KolmogorovSmirnovPValue_BothSeriesBranches_Agree()
    {
        // λ just below and above 1.18, where the implementation switches series: Q_KS is continuous.
        var ne = 50.0;
        var factor = Math.Sqrt(ne) + 0.12 + 0.11 / Math.Sqrt(ne);
        var below = DriftDetector.KolmogorovSmirnovPValue(1.1799999 / factor, 100, 100);
        var above = DriftDetector.KolmogorovSmirnovPValue(1.1800001 / factor, 100, 100);
        Assert.Equal(below, above, 6);
        Assert.InRange(DriftDetector.KolmogorovSmirnovPValue(1.3581 / factor, 100, 100), 0.0499, 0.0501); // Q_KS(1.358) = 0.05
    }

    [Fact]
    public void DriftReport_JsonRoundTrip_Equal()
    {
        var baseline = SeattleWeather.Profiles(FirstTwoYears);
        var predictions = DriftDetector.WindowBuilders(baseline, [], label: "weather")[DriftDetector.PredictionKey];
        predictions.Add("sun");
        var report = DriftDetector.Detect(baseline, Window(baseline, SeattleWeather.Where(Summer)), Defaults, "weather", predictions.ToStats());

        var json = Json.Serialize(report);
        var back = Json.Deserialize<DriftReport>(json);

        // Records compare lists by reference: the histograms are compared bin by bin, the rest as records.
        static FeatureDrift WithoutHistogram(FeatureDrift f) => f with { Histogram = null };
        Assert.Equal(report.Features.Select(WithoutHistogram), back.Features.Select(WithoutHistogram));
        Assert.All(report.Features.Zip(back.Features), p => Assert.Equal(p.First.Histogram!.Bins, p.Second.Histogram!.Bins));
        Assert.Equal(WithoutHistogram(report.Prediction!), WithoutHistogram(back.Prediction!));
        Assert.Equal(report with { Features = back.Features, Prediction = back.Prediction }, back);
        Assert.Equal(json, Json.Serialize(back));
        Assert.Contains("\"method\":\"ks\"", json);
        Assert.Contains("\"pValue\":", json);
    }

    [Fact]
    public void FeatureDrift_ReportWrittenBeforeHistograms_ReadsWithNone()
    {
        var old = """{"feature":"wind","type":"number","method":"ks","score":0.1,"threshold":0.05,"drifted":false,"pValue":0.3,"psi":0.01,"baselineRows":731,"windowRows":100}""";

        Assert.Null(Json.Deserialize<FeatureDrift>(old).Histogram);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Detect_AnyWindow_HistogramSharesSumToOneAndCountsMatchTheRows(bool fullBaseline)
    {
        var rows = fullBaseline ? SeattleWeather.Rows : FirstTwoYears;
        var baseline = SeattleWeather.Profiles(rows);

        var report = Detect(baseline, SeattleWeather.Where(Summer));

        Assert.All(report.Features, f =>
        {
            var bins = Assert.IsType<FeatureHistogram>(f.Histogram).Bins;
            Assert.Equal(1, bins.Sum(b => b.Baseline), 9);
            Assert.Equal(1, bins.Sum(b => b.Window), 9);
            Assert.Equal(f.BaselineRows, bins.Sum(b => b.BaselineCount));
            Assert.Equal(f.WindowRows, bins.Sum(b => b.WindowCount));
            Assert.All(bins, b => Assert.InRange(b.Window, 0, 1));
        });
    }

    [Fact]
    public void Detect_SummersAgainstAllYears_TempMaxHistogramMovesToTheUpperBins()
    {
        var baseline = SeattleWeather.Profiles(SeattleWeather.Rows);
        var edges = baseline.Single(p => p.Name == "temp_max").Histogram!.Edges;

        var report = Detect(baseline, SeattleWeather.Where(Summer));

        var bins = Feature(report, "temp_max").Histogram!.Bins;
        Assert.Equal(edges.Count - 1, bins.Count);
        Assert.All(bins, b => Assert.Null(b.Label));
        Assert.Equal(edges.Skip(1).Take(edges.Count - 2), bins.Take(bins.Count - 1).Select(b => b.Upper!.Value));
        // Summer days are the warm end of the year: the window's mass sits above the baseline's median bin, and
        // the coldest bins, where winter days are, hold none of it.
        var middle = bins.Count / 2;
        var windowUpper = bins.Skip(middle).Sum(b => b.Window);
        var baselineUpper = bins.Skip(middle).Sum(b => b.Baseline);
        output.WriteLine(string.Join("\n", bins.Select(b => $"[{b.Lower:F1}, {b.Upper:F1}) baseline {b.Baseline:P1} window {b.Window:P1}")));
        Assert.True(windowUpper > 0.8, $"window share in the upper half {windowUpper:P1}");
        Assert.True(baselineUpper < 0.5, $"baseline share in the upper half {baselineUpper:P1}");
        Assert.All(bins.Take(4), b => Assert.Equal(0, b.WindowCount));
        Assert.True(bins.Take(4).Sum(b => b.BaselineCount) > 0);
    }

    [Fact]
    public void Histogram_WindowOutsideTheBaselineRange_CountedInTheEdgeBinsWhichReachIt()
    {
        var baseline = SeattleWeather.Profiles(FirstTwoYears).Single(p => p.Name == "temp_max");
        var window = DriftDetector.WindowBuilders([baseline], ["temp_max"])["temp_max"];
        foreach (var value in new[] { "-40", "60", "61", "15" }) window.Add(value);

        var bins = DriftDetector.Compare(baseline, window.ToStats(), Defaults).Histogram!.Bins;

        Assert.Equal(-40, bins[0].Lower);
        Assert.Equal(61, bins[^1].Upper);
        Assert.Equal(1, bins[0].WindowCount);
        Assert.Equal(2, bins[^1].WindowCount);
        Assert.Equal(4, bins.Sum(b => b.WindowCount));
    }

    [Fact]
    public void Detect_CategoricalFeature_TopCategoriesOfEitherSideThenOther()
    {
        var baseline = SeattleWeather.Profiles(SeattleWeather.Rows);

        var report = Detect(baseline, SeattleWeather.Where(Summer));

        var bins = Feature(report, "weather").Histogram!.Bins;
        Assert.All(bins, b => Assert.Null(b.Lower));
        // Five categories, all listed on both sides (the baseline's top values cover every row): no "(other)".
        Assert.Equal(["drizzle", "fog", "rain", "snow", "sun"], bins.Select(b => b.Label!).Order());
        Assert.DoesNotContain(bins, b => b.Other);
        var sun = bins.Single(b => b.Label == "sun");
        Assert.True(sun.Window > sun.Baseline, $"sun: window {sun.Window:P1}, baseline {sun.Baseline:P1}");
        Assert.Equal(0, bins.Single(b => b.Label == "snow").WindowCount);
        // Ordered by the larger share of either side.
        var larger = bins.Select(b => Math.Max(b.Baseline, b.Window)).ToList();
        Assert.Equal(larger.OrderDescending(), larger);
    }

    [Fact]
    public void Histogram_ManyCategories_CappedWithTheRestAsOther()
    {
        var builder = new ColumnStatsBuilder("city", ColumnType.Categorical, null);
        for (var i = 0; i < 30; i++)
            for (var k = 0; k <= i; k++) builder.Add($"c{i:00}");
        var baseline = ColumnProfiles.ToProfile(builder.ToStats(), topValues: 30);
        var window = new ColumnStatsBuilder("city", ColumnType.Categorical, null);
        for (var k = 0; k < 200; k++) window.Add("new-city");
        for (var k = 0; k < 2; k++) window.Add("c00");

        var bins = DriftHistograms.Categorical(baseline, window.ToStats())!.Bins;

        Assert.Equal(DriftHistograms.MaxCategories + 1, bins.Count);
        Assert.Equal("new-city", bins[0].Label); // 99% of the window, unknown to the baseline (which lists all its values)
        Assert.Equal(0, bins[0].BaselineCount);
        Assert.Equal(["c29", "c28", "c27"], bins.Skip(1).Take(3).Select(b => b.Label!));
        var other = bins[^1];
        Assert.True(other.Other);
        Assert.Equal(DriftHistograms.OtherLabel, other.Label);
        Assert.Equal(2, other.WindowCount); // c00, 1% of the window and the baseline's rarest, is not among the ten listed
        Assert.Equal(1, bins.Sum(b => b.Baseline), 12);
        Assert.Equal(1, bins.Sum(b => b.Window), 12);
    }

    [Fact]
    public void Histogram_BaselineTopValuesIncomplete_UnknownCategoriesGoToOther()
    {
        var builder = new ColumnStatsBuilder("city", ColumnType.Categorical, null);
        for (var i = 0; i < 20; i++)
            for (var k = 0; k <= i; k++) builder.Add($"c{i:00}");
        var baseline = ColumnProfiles.ToProfile(builder.ToStats(), topValues: 5); // c15..c19 listed
        var window = new ColumnStatsBuilder("city", ColumnType.Categorical, null);
        foreach (var value in new[] { "c19", "c00", "c00", "unseen" }) window.Add(value);

        var bins = DriftHistograms.Categorical(baseline, window.ToStats())!.Bins;

        // The baseline's count of c00 and "unseen" is not known: they are part of "(other)" on both sides.
        Assert.DoesNotContain(bins, b => b.Label is "c00" or "unseen");
        Assert.Equal(3, bins.Single(b => b.Other).WindowCount);
        Assert.Equal(1, bins.Single(b => b.Label == "c19").WindowCount);
    }

    [Fact]
    public void Compare_EmptyWindow_NoHistogram()
    {
        var baseline = SeattleWeather.Profiles(FirstTwoYears);

        var report = DriftDetector.Detect(baseline, Window(baseline, []), Defaults);

        Assert.All(report.Features, f => Assert.Null(f.Histogram));
    }
}
