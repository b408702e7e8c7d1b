using MathNet.Numerics;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Monitoring;

/// <summary>Thresholds of drift detection; the defaults are those of Azure ML model monitoring and Evidently.</summary>
/// <param name="NumericThreshold">Number and date features with a large baseline: drifted when the Wasserstein distance over the baseline standard deviation is above this.</param>
/// <param name="CategoricalThreshold">Categorical, boolean and text features with a large baseline: drifted when the Jensen-Shannon distance is above this.</param>
/// <param name="PValue">Features with a small baseline: drifted when the p-value of the two-sample test (Kolmogorov-Smirnov or chi-squared) is below this.</param>
/// <param name="SmallBaselineRows">Baselines with at most this many values are compared by statistical tests, larger ones by distances.</param>
/// <param name="DatasetDriftShare">The dataset drifts when the share of drifted features is at least this.</param>
public sealed record DriftSettings(
    double NumericThreshold = 0.1,
    double CategoricalThreshold = 0.1,
    double PValue = 0.05,
    long SmallBaselineRows = 1000,
    double DatasetDriftShare = 0.5);

/// <summary>Methods of <see cref="FeatureDrift"/>.</summary>
public static class DriftMethod
{
    /// <summary>Number and date features, large baseline: Wasserstein-1 distance of the histograms over the baseline standard deviation.</summary>
    public const string Wasserstein = "wasserstein";

    /// <summary>Number and date features, small baseline: two-sample Kolmogorov-Smirnov test on the binned CDFs.</summary>
    public const string KolmogorovSmirnov = "ks";

    /// <summary>Categorical, boolean and text features, large baseline: Jensen-Shannon distance (base 2, in [0, 1]).</summary>
    public const string JensenShannon = "jensenShannon";

    /// <summary>Categorical, boolean and text features, small baseline: chi-squared test of homogeneity.</summary>
    public const string ChiSquared = "chiSquared";

    /// <summary>The window (or the baseline) has no value of the feature: nothing to compare, not drifted.</summary>
    public const string Empty = "empty";
}

/// <summary>Whether one feature (or the prediction) drifted from its training baseline.</summary>
/// <param name="Feature">Feature name (the label's name for the prediction).</param>
/// <param name="Type">The baseline's column type, one of <see cref="ColumnType"/>.</param>
/// <param name="Method">One of <see cref="DriftMethod"/>.</param>
/// <param name="Score">
/// The distance ("wasserstein", "jensenShannon"), or the test statistic: the largest CDF difference D ("ks"), the
/// chi-squared statistic ("chiSquared"); 0 for "empty".
/// </param>
/// <param name="Threshold">
/// Distances: the score above which the feature drifted. Tests: the p-value below which it drifted (compared with
/// <paramref name="PValue"/>, not with the score).
/// </param>
/// <param name="Drifted">Whether the feature drifted.</param>
/// <param name="PValue">The test's p-value ("ks", "chiSquared"); null for distances and "empty".</param>
/// <param name="Psi">Population stability index on the bins or categories the method compared; null for "empty".</param>
/// <param name="BaselineRows">Non-missing values of the feature in the baseline.</param>
/// <param name="WindowRows">Non-missing values of the feature in the window.</param>
/// <param name="Histogram">
/// The baseline and the window over the same bins, to see where the window moved; null for "empty" (and in reports
/// written before histograms were kept). Row-derived: shown only to those who may read the training dataset.
/// </param>
public sealed record FeatureDrift(
    string Feature,
    string Type,
    string Method,
    double Score,
    double Threshold,
    bool Drifted,
    double? PValue,
    double? Psi,
    long BaselineRows,
    long WindowRows,
    FeatureHistogram? Histogram = null);

/// <summary>Drift of a monitoring window against the training data.</summary>
/// <param name="Features">One per feature of the window, in baseline column order.</param>
/// <param name="DriftedShare">Drifted features over compared features (those not "empty"); 0 when none were compared.</param>
/// <param name="DatasetDrift">Whether <paramref name="DriftedShare"/> reached <see cref="DriftSettings.DatasetDriftShare"/> (false when no feature was compared).</param>
/// <param name="Prediction">Drift of the predicted values against the training label; null when no label or predictions were given.</param>
/// <param name="WindowRows">Rows in the window (the most rows any feature's or the predictions' statistics counted, missing cells included).</param>
public sealed record DriftReport(
    IReadOnlyList<FeatureDrift> Features,
    double DriftedShare,
    bool DatasetDrift,
    FeatureDrift? Prediction,
    long WindowRows);

/// <summary>
/// Data and prediction drift of a deployed model: the production window's column statistics (built with the
/// baseline's histogram edges, see <see cref="WindowBuilders"/>) against the column profiles of the training data.
/// Per feature, with the defaults of Azure ML model monitoring and Evidently: number and date features by the
/// Wasserstein distance over the baseline standard deviation when the baseline has more than
/// <see cref="DriftSettings.SmallBaselineRows"/> values, else by a two-sample Kolmogorov-Smirnov test; categorical,
/// boolean and text features by the Jensen-Shannon distance, else by a chi-squared test of homogeneity.
/// </summary>
public static class DriftDetector
{
    /// <summary>Key of the predictions' builder in <see cref="WindowBuilders"/> when a label is given.</summary>
    public const string PredictionKey = "prediction";

    /// <summary>Name of the bucket of values outside the baseline's top values in the chi-squared test.</summary>
    private const string OtherBucket = "\u0000other";

    /// <summary>Smallest expected count of a cell of the chi-squared table; smaller categories are merged.</summary>
    private const double MinExpected = 5;

    /// <summary>
    /// Empty window statistics for <paramref name="features"/>, each with its baseline column's type and histogram
    /// edges, so the window's bins line up with the baseline's. With <paramref name="label"/>, also a builder under
    /// <see cref="PredictionKey"/> for the predicted values, typed and binned as the label column.
    /// </summary>
    /// <param name="baseline">Column profiles of the training data.</param>
    /// <param name="features">Feature names, each a baseline column.</param>
    /// <param name="label">The label column, or null for no prediction builder.</param>
    /// <exception cref="ArgumentException">A feature or the label is not a baseline column, a feature is listed twice, or a feature is named <see cref="PredictionKey"/> while a label is given.</exception>
    public static Dictionary<string, ColumnStatsBuilder> WindowBuilders(IReadOnlyList<ColumnProfile> baseline, IEnumerable<string> features, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(features);
        var byName = ByName(baseline);
        var builders = new Dictionary<string, ColumnStatsBuilder>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            var profile = Find(byName, feature, nameof(features));
            if (!builders.TryAdd(feature, Builder(profile, feature)))
                throw new ArgumentException($"Feature '{feature}' is listed twice.", nameof(features));
        }
        if (label is not null)
        {
            var profile = Find(byName, label, nameof(label));
            if (!builders.TryAdd(PredictionKey, Builder(profile, PredictionKey)))
                throw new ArgumentException($"A feature is named '{PredictionKey}', the key of the predictions' builder.", nameof(label));
        }
        return builders;
    }

    private static ColumnStatsBuilder Builder(ColumnProfile profile, string name) =>
        new(name, profile.Type, ColumnStatsBuilder.IsNumeric(profile.Type) ? profile.Histogram?.Edges : null);

    /// <summary>
    /// Drift of one feature: its <paramref name="window"/> statistics against its training <paramref name="baseline"/>
    /// profile, by the method the baseline's type and size call for. A side without values gives "empty", not drifted.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The window does not summarise the feature the way the baseline does: a number or date feature without a
    /// histogram on either side, or a categorical feature without value counts, or types of different kinds.
    /// </exception>
    public static FeatureDrift Compare(ColumnProfile baseline, ColumnStats window, DriftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        Validate(settings);
        var numeric = ColumnStatsBuilder.IsNumeric(baseline.Type);
        if (numeric != ColumnStatsBuilder.IsNumeric(window.Type))
            throw new ArgumentException($"Feature '{baseline.Name}' is {baseline.Type} in the baseline but {window.Type} in the window.", nameof(window));
        return numeric ? CompareNumeric(baseline, window, settings) : CompareCategorical(baseline, window, settings);
    }

    private static FeatureDrift CompareNumeric(ColumnProfile baseline, ColumnStats window, DriftSettings settings)
    {
        var n = baseline.Histogram is { } h ? h.Counts.Sum() : 0;
        var m = window.Numeric;
        var small = n <= settings.SmallBaselineRows;
        FeatureDrift Result(string method, double score, double threshold, bool drifted, double? p, double? psi) =>
            new(baseline.Name, baseline.Type, method, score, threshold, drifted, p, psi, n, m,
                method == DriftMethod.Empty ? null : DriftHistograms.Numeric(baseline, window));

        if (n == 0 || m == 0)
            return Result(DriftMethod.Empty, 0, small ? settings.PValue : settings.NumericThreshold, false, null, null);
        var bh = baseline.Histogram!;
        if (window.HistogramEdges is null || window.HistogramCounts is null)
            throw new ArgumentException($"The window of feature '{baseline.Name}' has no histogram; build it with the baseline's edges (DriftDetector.WindowBuilders).", nameof(window));
        var wh = new Histogram(window.HistogramEdges, window.HistogramCounts);

        // DatasetDiff.Shift compares the histograms: Wasserstein over the baseline std, and PSI on the baseline bins.
        var shift = DatasetDiff.Shift(baseline, ColumnProfiles.ToProfile(window, 0), settings.NumericThreshold);
        if (!small)
            return Result(DriftMethod.Wasserstein, shift.Score, settings.NumericThreshold, shift.Score > settings.NumericThreshold, null, shift.Psi);

        // Kolmogorov-Smirnov on the CDFs at the baseline's bin edges (the window re-binned onto them if its edges differ).
        var windowShares = DatasetDiff.Rebin(wh, bh.Edges);
        double bCum = 0, wCum = 0, d = 0;
        for (var i = 0; i < windowShares.Count; i++)
        {
            bCum += (double)bh.Counts[i] / n;
            wCum += windowShares[i];
            d = Math.Max(d, Math.Abs(bCum - wCum));
        }
        var p = KolmogorovSmirnovPValue(d, n, m);
        return Result(DriftMethod.KolmogorovSmirnov, d, settings.PValue, p < settings.PValue, p, shift.Psi);
    }

    private static FeatureDrift CompareCategorical(ColumnProfile baseline, ColumnStats window, DriftSettings settings)
    {
        var n = baseline.Count - baseline.Nulls;
        var m = window.Count - window.Nulls;
        var small = n <= settings.SmallBaselineRows;
        FeatureDrift Result(string method, double score, double threshold, bool drifted, double? p, double? psi) =>
            new(baseline.Name, baseline.Type, method, score, threshold, drifted, p, psi, n, m,
                method == DriftMethod.Empty ? null : DriftHistograms.Categorical(baseline, window));

        if (n <= 0 || m <= 0)
            return Result(DriftMethod.Empty, 0, small ? settings.PValue : settings.CategoricalThreshold, false, null, null);
        if (window.ValueCounts is null)
            throw new ArgumentException($"The window of feature '{baseline.Name}' has no value counts.", nameof(window));

        if (!small)
        {
            // DatasetDiff.Shift: Jensen-Shannon distance and PSI over the values known on both sides plus "other".
            var shift = DatasetDiff.Shift(baseline, ColumnProfiles.ToProfile(window, int.MaxValue), settings.CategoricalThreshold);
            return Result(DriftMethod.JensenShannon, shift.Score, settings.CategoricalThreshold, shift.Score > settings.CategoricalThreshold, null, shift.Psi);
        }

        // 2 x k table: the baseline's top values plus "other" (whatever the top values do not cover, on each side).
        var categories = new List<string>();
        var bCounts = new List<double>();
        var wCounts = new List<double>();
        foreach (var top in baseline.TopValues)
        {
            var index = categories.IndexOf(top.Value);
            if (index >= 0)
            {
                bCounts[index] += top.Count;
                continue;
            }
            categories.Add(top.Value);
            bCounts.Add(top.Count);
            wCounts.Add(window.ValueCounts.GetValueOrDefault(top.Value));
        }
        categories.Add(OtherBucket);
        bCounts.Add(Math.Max(0, n - bCounts.Sum()));
        wCounts.Add(Math.Max(0, m - wCounts.Sum()));

        var psi = DatasetDiff.Psi(bCounts.Select(c => c / n).ToList(), wCounts.Select(c => c / m).ToList());
        var (chi2, df) = ChiSquaredStatistic(bCounts, wCounts);
        var p = df == 0 ? 1 : ChiSquaredSurvival(chi2, df);
        return Result(DriftMethod.ChiSquared, chi2, settings.PValue, p < settings.PValue, p, psi);
    }

    /// <summary>
    /// Chi-squared statistic of homogeneity of two rows of counts over the same categories (the last is "other"),
    /// after dropping empty categories and merging those with an expected count below 5 into "other" (and "other"
    /// into the smallest remaining category if it is still too small). Degrees of freedom: categories - 1.
    /// </summary>
    private static (double Statistic, int DegreesOfFreedom) ChiSquaredStatistic(List<double> a, List<double> b)
    {
        double aTotal = a.Sum(), bTotal = b.Sum(), total = aTotal + bTotal;
        var minRow = Math.Min(aTotal, bTotal);
        double Expected(int j) => minRow * (a[j] + b[j]) / total;

        var other = a.Count - 1;
        var cells = new List<(double A, double B)>();
        double otherA = a[other], otherB = b[other];
        for (var j = 0; j < other; j++)
        {
            if (a[j] + b[j] == 0) continue;
            if (Expected(j) < MinExpected) (otherA, otherB) = (otherA + a[j], otherB + b[j]);
            else cells.Add((a[j], b[j]));
        }
        if (otherA + otherB > 0)
        {
            if (minRow * (otherA + otherB) / total >= MinExpected || cells.Count == 0) cells.Add((otherA, otherB));
            else
            {
                var smallest = 0;
                for (var j = 1; j < cells.Count; j++)
                    if (cells[j].A + cells[j].B < cells[smallest].A + cells[smallest].B) smallest = j;
                cells[smallest] = (cells[smallest].A + otherA, cells[smallest].B + otherB);
            }
        }
        if (cells.Count < 2) return (0, 0);

        var statistic = 0.0;
        foreach (var (ca, cb) in cells)
        {
            var column = ca + cb;
            var ea = aTotal * column / total;
            var eb = bTotal * column / total;
            statistic += (ca - ea) * (ca - ea) / ea + (cb - eb) * (cb - eb) / eb;
        }
        return (statistic, cells.Count - 1);
    }

    /// <summary>
    /// Drift of every feature of <paramref name="window"/> against its <paramref name="baseline"/> profile, the
    /// dataset-level verdict, and, with <paramref name="label"/> and <paramref name="predictions"/>, the drift of the
    /// predicted values against the training label's distribution (by the label's type: a classification label as a
    /// categorical feature, a regression label as a numeric one).
    /// </summary>
    /// <param name="baseline">Column profiles of the training data.</param>
    /// <param name="window">Statistics of the window per feature, built with <see cref="WindowBuilders"/>.</param>
    /// <param name="settings">Thresholds.</param>
    /// <param name="label">The label column of the baseline.</param>
    /// <param name="predictions">Statistics of the predicted values over the window, binned as the label.</param>
    /// <exception cref="ArgumentException">A feature or the label is not a baseline column, or a window does not match its baseline (see <see cref="Compare"/>).</exception>
    public static DriftReport Detect(
        IReadOnlyList<ColumnProfile> baseline,
        IReadOnlyDictionary<string, ColumnStats> window,
        DriftSettings settings,
        string? label = null,
        ColumnStats? predictions = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        Validate(settings);
        var byName = ByName(baseline);
        foreach (var feature in window.Keys) Find(byName, feature, nameof(window));

        var features = new List<FeatureDrift>();
        foreach (var profile in baseline)
            if (window.TryGetValue(profile.Name, out var stats))
                features.Add(Compare(profile, stats, settings));

        FeatureDrift? prediction = null;
        if (label is not null && predictions is not null)
            prediction = Compare(Find(byName, label, nameof(label)), predictions, settings);

        var compared = features.Count(f => f.Method != DriftMethod.Empty);
        var share = compared == 0 ? 0 : (double)features.Count(f => f.Drifted) / compared;
        var rows = window.Values.Select(s => s.Count).Append(predictions?.Count ?? 0).Max();
        return new DriftReport(features, share, compared > 0 && share >= settings.DatasetDriftShare, prediction, rows);
    }

    /// <summary>
    /// Asymptotic p-value of the two-sample Kolmogorov-Smirnov statistic <paramref name="d"/> for samples of
    /// <paramref name="n"/> and <paramref name="m"/> values: Q_KS(λ) with the effective size n_e = n·m/(n+m) and
    /// λ = (√n_e + 0.12 + 0.11/√n_e)·d (Numerical Recipes), where Q_KS(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²); for small λ,
    /// where that series converges slowly, the equivalent 1 − (√(2π)/λ) Σ e^(−(2k−1)²π²/(8λ²)). 1 when d = 0.
    /// </summary>
    public static double KolmogorovSmirnovPValue(double d, long n, long m)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        if (!(d >= 0 && d <= 1)) throw new ArgumentOutOfRangeException(nameof(d), d, "The statistic is a CDF difference, in [0, 1].");
        var ne = (double)n * m / (n + m);
        var sqrt = Math.Sqrt(ne);
        var lambda = (sqrt + 0.12 + 0.11 / sqrt) * d;
        return Math.Clamp(KolmogorovQ(lambda), 0, 1);
    }

    private static double KolmogorovQ(double lambda)
    {
        if (lambda <= 0) return 1;
        if (lambda < 1.18)
        {
            // 1 - P, P(λ) = √(2π)/λ Σ_{k≥1} exp(-(2k-1)² π² / (8λ²)); terms fall very fast here.
            var y = Math.Exp(-Math.PI * Math.PI / (8 * lambda * lambda));
            var sum = 0.0;
            for (var k = 1; k <= 20; k++)
            {
                var term = Math.Pow(y, (2 * k - 1) * (2 * k - 1));
                sum += term;
                if (term < 1e-17 * sum) break;
            }
            return 1 - Math.Sqrt(2 * Math.PI) / lambda * sum;
        }
        var q = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = 2 * Math.Exp(-2.0 * k * k * lambda * lambda);
            q += k % 2 == 1 ? term : -term;
            if (term < 1e-17 * Math.Abs(q)) break;
        }
        return q;
    }

    /// <summary>
    /// Survival function of the chi-squared distribution, P(X ≥ <paramref name="x"/>) for
    /// <paramref name="degreesOfFreedom"/> degrees of freedom: the regularized upper incomplete gamma function
    /// Q(k/2, x/2) (MathNet.Numerics), computed directly rather than as 1 − CDF so that small p-values keep their
    /// precision. 1 when x ≤ 0.
    /// </summary>
    public static double ChiSquaredSurvival(double x, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (double.IsNaN(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "The statistic must be a number.");
        if (x <= 0) return 1;
        if (double.IsPositiveInfinity(x)) return 0;
        return Math.Clamp(SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, x / 2), 0, 1);
    }

    private static void Validate(DriftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!(settings.NumericThreshold >= 0) || !double.IsFinite(settings.NumericThreshold))
            throw new ArgumentException("The numeric threshold must be a non-negative number.", nameof(settings));
        if (!(settings.CategoricalThreshold >= 0) || !double.IsFinite(settings.CategoricalThreshold))
            throw new ArgumentException("The categorical threshold must be a non-negative number.", nameof(settings));
        if (!(settings.PValue > 0 && settings.PValue < 1))
            throw new ArgumentException("The p-value threshold must be in (0, 1).", nameof(settings));
        if (settings.SmallBaselineRows < 0)
            throw new ArgumentException("The small-baseline row count must not be negative.", nameof(settings));
        if (!(settings.DatasetDriftShare >= 0 && settings.DatasetDriftShare <= 1))
            throw new ArgumentException("The dataset drift share must be in [0, 1].", nameof(settings));
    }

    private static Dictionary<string, ColumnProfile> ByName(IReadOnlyList<ColumnProfile> baseline)
    {
        var byName = new Dictionary<string, ColumnProfile>(StringComparer.Ordinal);
        foreach (var p in baseline)
            if (!byName.TryAdd(p.Name, p)) throw new ArgumentException($"Column '{p.Name}' is profiled twice.", nameof(baseline));
        return byName;
    }

    private static ColumnProfile Find(Dictionary<string, ColumnProfile> byName, string name, string parameter) =>
        byName.TryGetValue(name, out var profile)
            ? profile
            : throw new ArgumentException($"'{name}' is not a column of the baseline.", parameter);
}
