namespace Orchestrator.Workflows.DataLake;

/// <summary>A difference between the schemas of two dataset versions.</summary>
/// <param name="Column">Column name.</param>
/// <param name="Change">One of <see cref="SchemaChangeKind"/>: "added", "removed", "typeChanged" or "nullableChanged".</param>
/// <param name="Before">Type before ("typeChanged", "removed"), or "true"/"false" whether the column had missing values ("nullableChanged"); null for "added".</param>
/// <param name="After">Type after ("typeChanged", "added"), or "true"/"false" ("nullableChanged"); null for "removed".</param>
public sealed record SchemaChange(string Column, string Change, string? Before, string? After);

/// <summary>Kinds of <see cref="SchemaChange"/>.</summary>
public static class SchemaChangeKind
{
    public const string Added = "added";
    public const string Removed = "removed";
    public const string TypeChanged = "typeChanged";
    public const string NullableChanged = "nullableChanged";
}

/// <summary>How the distribution of a column present in both versions with the same type moved.</summary>
/// <param name="Column">Column name.</param>
/// <param name="Type">Column type.</param>
/// <param name="Method">One of <see cref="ShiftMethod"/>.</param>
/// <param name="Score">The distance the method measures; shifted when above <paramref name="Threshold"/>.</param>
/// <param name="Threshold">Score above which the column counts as shifted.</param>
/// <param name="Shifted">Whether <paramref name="Score"/> &gt; <paramref name="Threshold"/>.</param>
/// <param name="Psi">Population stability index on the same bins or categories; null when it cannot be computed (no values on a side, no histogram).</param>
/// <param name="NullShareBefore">Share of missing values in the baseline.</param>
/// <param name="NullShareAfter">Share of missing values in the current version.</param>
public sealed record ColumnShift(string Column, string Type, string Method, double Score, double Threshold, bool Shifted, double? Psi, double? NullShareBefore, double? NullShareAfter);

/// <summary>Methods of <see cref="ColumnShift"/>.</summary>
public static class ShiftMethod
{
    /// <summary>Number and date columns: Wasserstein-1 distance between the histograms over the baseline standard deviation.</summary>
    public const string Wasserstein = "wasserstein";

    /// <summary>Number and date columns without histograms: |mean difference| over the baseline standard deviation.</summary>
    public const string MeanDifference = "meanDifference";

    /// <summary>Categorical, boolean and text columns: Jensen-Shannon distance (base 2, in [0, 1]) of the value distributions.</summary>
    public const string JensenShannon = "jensenShannon";

    /// <summary>A side has no non-missing value: score 0 when neither has, otherwise 1 and shifted.</summary>
    public const string Empty = "empty";
}

/// <summary>Schema changes and distribution shifts between two dataset versions.</summary>
/// <param name="SchemaChanges">Added, removed and retyped columns, and columns that gained or lost missing values.</param>
/// <param name="Shifts">One per column present in both versions with the same type, in baseline order.</param>
/// <param name="ShiftedShare">Shifted columns / compared columns (0 when none are compared).</param>
public sealed record DatasetDiffResult(IReadOnlyList<SchemaChange> SchemaChanges, IReadOnlyList<ColumnShift> Shifts, double ShiftedShare);

/// <summary>Compares the column profiles of two dataset versions; the distances are reused by drift monitoring.</summary>
public static class DatasetDiff
{
    /// <summary>Additive smoothing of shares in <see cref="Psi"/>.</summary>
    public const double PsiEpsilon = 1e-4;

    /// <summary>Default score above which a column counts as shifted.</summary>
    public const double DefaultThreshold = 0.1;

    private const string OtherBucket = "\u0000other";

    /// <summary>
    /// Schema changes and per-column shifts from <paramref name="baseline"/> to <paramref name="current"/>, both the
    /// column profiles of a version. Types come from the profiles; a column is nullable when it has missing values
    /// (Nulls &gt; 0), so one with none before and some after (or the reverse) is "nullableChanged".
    /// Columns present in both with the same type are compared: number and date columns by
    /// <see cref="Wasserstein"/> distance of the histograms over the baseline standard deviation (the baseline range
    /// when that is 0, the combined range when both are 0; 0 when both are the same constant); categorical, boolean
    /// and text columns by <see cref="JensenShannon"/> distance of the top values plus an "other" bucket.
    /// </summary>
    public static DatasetDiffResult Compare(IReadOnlyList<ColumnProfile> baseline, IReadOnlyList<ColumnProfile> current, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var before = ByName(baseline, nameof(baseline));
        var after = ByName(current, nameof(current));

        var changes = new List<SchemaChange>();
        var shifts = new List<ColumnShift>();
        foreach (var b in baseline)
        {
            if (!after.TryGetValue(b.Name, out var c))
            {
                changes.Add(new SchemaChange(b.Name, SchemaChangeKind.Removed, b.Type, null));
                continue;
            }
            if (b.Type != c.Type) changes.Add(new SchemaChange(b.Name, SchemaChangeKind.TypeChanged, b.Type, c.Type));
            if (b.Nulls > 0 != c.Nulls > 0)
                changes.Add(new SchemaChange(b.Name, SchemaChangeKind.NullableChanged, Bool(b.Nulls > 0), Bool(c.Nulls > 0)));
            if (b.Type == c.Type) shifts.Add(Shift(b, c, threshold));
        }
        foreach (var c in current)
            if (!before.ContainsKey(c.Name)) changes.Add(new SchemaChange(c.Name, SchemaChangeKind.Added, null, c.Type));

        var share = shifts.Count == 0 ? 0 : (double)shifts.Count(s => s.Shifted) / shifts.Count;
        return new DatasetDiffResult(changes, shifts, share);
    }

    /// <summary>How one column (same name and type in both) moved from <paramref name="baseline"/> to <paramref name="current"/>.</summary>
    public static ColumnShift Shift(ColumnProfile baseline, ColumnProfile current, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var before = baseline.Count - baseline.Nulls;
        var after = current.Count - current.Nulls;
        ColumnShift Result(string method, double score, double? psi) => new(
            baseline.Name, baseline.Type, method, score, threshold, score > threshold, psi, baseline.NullShare, current.NullShare);

        if (before <= 0 || after <= 0)
            return before <= 0 && after <= 0 ? Result(ShiftMethod.Empty, 0, null) : Result(ShiftMethod.Empty, 1, null);

        if (ColumnStatsBuilder.IsNumeric(baseline.Type))
        {
            if (baseline.Mean is null || current.Mean is null)
                return baseline.Mean is null && current.Mean is null ? Result(ShiftMethod.Empty, 0, null) : Result(ShiftMethod.Empty, 1, null);
            var scale = Scale(baseline, current);
            if (baseline.Histogram is { } bh && current.Histogram is { } ch && Total(bh) > 0 && Total(ch) > 0)
            {
                var distance = Wasserstein(bh, ch);
                var psi = Psi(Shares(bh.Counts), Rebin(ch, bh.Edges));
                return Result(ShiftMethod.Wasserstein, scale == 0 ? 0 : distance / scale, psi);
            }
            var difference = Math.Abs(current.Mean.Value - baseline.Mean.Value);
            return Result(ShiftMethod.MeanDifference, scale == 0 ? 0 : difference / scale, null);
        }

        var (p, q) = Distributions(baseline, current);
        var keys = p.Keys.Union(q.Keys).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var pTotal = p.Values.Sum();
        var qTotal = q.Values.Sum();
        var psiShares = Psi(
            keys.Select(k => p.GetValueOrDefault(k) / pTotal).ToList(),
            keys.Select(k => q.GetValueOrDefault(k) / qTotal).ToList());
        return Result(ShiftMethod.JensenShannon, JensenShannon(p, q), psiShares);
    }

    /// <summary>
    /// Wasserstein-1 (earth mover's) distance between two histograms, in the unit of their values: the area between
    /// their cumulative distribution functions. The current histogram is re-binned onto the baseline edges (its
    /// counts spread uniformly within its bins), extended with its own edges below or above the baseline range where
    /// it has values there; both are then uniform within the bins of that grid, so the CDFs are piecewise linear and
    /// the area is exact. Re-binning rather than comparing at the union of both edges keeps a point mass (say, many
    /// zeros at the minimum) spread the same way on both sides when the versions' edges differ.
    /// 0 when either histogram is empty. Not symmetric when the edges differ: the baseline's bins set the resolution.
    /// </summary>
    public static double Wasserstein(Histogram baseline, Histogram current)
    {
        Validate(baseline, nameof(baseline));
        Validate(current, nameof(current));
        double bt = Total(baseline), ct = Total(current);
        if (bt == 0 || ct == 0) return 0;
        double lo = baseline.Edges[0], hi = baseline.Edges[^1];
        var points = current.Edges.Where(e => e < lo).Concat(baseline.Edges).Concat(current.Edges.Where(e => e > hi)).ToList();
        var distance = 0.0;
        var d0 = Cdf(baseline, points[0]) / bt - Cdf(current, points[0]) / ct;
        for (var i = 1; i < points.Count; i++)
        {
            var d1 = Cdf(baseline, points[i]) / bt - Cdf(current, points[i]) / ct;
            var width = points[i] - points[i - 1];
            // |d| is linear between the points; when it changes sign the area is two triangles.
            distance += d0 * d1 >= 0
                ? width * (Math.Abs(d0) + Math.Abs(d1)) / 2
                : width * (d0 * d0 + d1 * d1) / (2 * (Math.Abs(d0) + Math.Abs(d1)));
            d0 = d1;
        }
        return distance;
    }

    /// <summary>
    /// Jensen-Shannon distance between two discrete distributions given as weights per category (counts or shares;
    /// each is normalized): the square root of the Jensen-Shannon divergence in bits, in [0, 1]. 0 for identical
    /// distributions (or both empty), 1 for disjoint ones (or exactly one empty).
    /// </summary>
    public static double JensenShannon(IReadOnlyDictionary<string, double> p, IReadOnlyDictionary<string, double> q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        var pTotal = Weight(p, nameof(p));
        var qTotal = Weight(q, nameof(q));
        if (pTotal == 0 || qTotal == 0) return pTotal == 0 && qTotal == 0 ? 0 : 1;
        var divergence = 0.0;
        foreach (var key in p.Keys.Union(q.Keys))
        {
            var pi = p.GetValueOrDefault(key) / pTotal;
            var qi = q.GetValueOrDefault(key) / qTotal;
            var m = (pi + qi) / 2;
            if (pi > 0) divergence += 0.5 * pi * Math.Log2(pi / m);
            if (qi > 0) divergence += 0.5 * qi * Math.Log2(qi / m);
        }
        return Math.Sqrt(Math.Clamp(divergence, 0, 1));
    }

    /// <summary>
    /// Population stability index Σ (a - e) · ln(a / e) of the shares of the same bins or categories, each share
    /// smoothed as (s + ε) / (1 + kε) with ε = <see cref="PsiEpsilon"/> and k bins, so empty bins stay finite.
    /// Common reading: below 0.1 stable, 0.1–0.25 moderate, above 0.25 significant shift.
    /// </summary>
    public static double Psi(IReadOnlyList<double> expectedShares, IReadOnlyList<double> actualShares)
    {
        ArgumentNullException.ThrowIfNull(expectedShares);
        ArgumentNullException.ThrowIfNull(actualShares);
        if (expectedShares.Count != actualShares.Count)
            throw new ArgumentException($"Expected {expectedShares.Count} shares, got {actualShares.Count}.", nameof(actualShares));
        var k = expectedShares.Count;
        var psi = 0.0;
        for (var i = 0; i < k; i++)
        {
            if (!(expectedShares[i] >= 0) || !(actualShares[i] >= 0)) throw new ArgumentException("Shares must be non-negative numbers.");
            var e = (expectedShares[i] + PsiEpsilon) / (1 + k * PsiEpsilon);
            var a = (actualShares[i] + PsiEpsilon) / (1 + k * PsiEpsilon);
            psi += (a - e) * Math.Log(a / e);
        }
        return psi;
    }

    /// <summary>
    /// Shares of <paramref name="histogram"/>'s values in the bins of <paramref name="edges"/>, each bin's count
    /// spread uniformly over its bin; mass below the first or above the last edge goes to the first or last bin.
    /// </summary>
    public static IReadOnlyList<double> Rebin(Histogram histogram, IReadOnlyList<double> edges)
    {
        Validate(histogram, nameof(histogram));
        ColumnStatsBuilder.ValidateEdges(edges, nameof(edges));
        var total = Total(histogram);
        var shares = new double[edges.Count - 1];
        if (total == 0) return shares;
        var previous = 0.0;
        for (var i = 0; i < shares.Length; i++)
        {
            var upTo = i == shares.Length - 1 ? total : Cdf(histogram, edges[i + 1]);
            shares[i] = (upTo - previous) / total;
            previous = upTo;
        }
        return shares;
    }

    /// <summary>Count of values of <paramref name="histogram"/> at or below <paramref name="x"/>, uniform within bins.</summary>
    private static double Cdf(Histogram histogram, double x)
    {
        var edges = histogram.Edges;
        var cumulative = 0.0;
        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            if (x >= edges[i + 1]) cumulative += histogram.Counts[i];
            else
            {
                if (x > edges[i]) cumulative += histogram.Counts[i] * (x - edges[i]) / (edges[i + 1] - edges[i]);
                break;
            }
        }
        return cumulative;
    }

    /// <summary>What a Wasserstein distance is divided by: baseline std, else baseline range, else combined range, else 0.</summary>
    private static double Scale(ColumnProfile baseline, ColumnProfile current)
    {
        if (baseline.Std is > 0 and var std) return std;
        if (baseline is { Min: { } bMin, Max: { } bMax } && bMax > bMin) return bMax - bMin;
        var lo = Math.Min(baseline.Min ?? double.PositiveInfinity, current.Min ?? double.PositiveInfinity);
        var hi = Math.Max(baseline.Max ?? double.NegativeInfinity, current.Max ?? double.NegativeInfinity);
        return hi > lo ? hi - lo : 0;
    }

    /// <summary>
    /// Value weights of the two sides over common categories. A value is its own category when its count is known on
    /// both sides (listed, or absent from a side whose top values cover all its non-missing rows); other values and
    /// the rows the top values do not cover go to an "other" bucket on both sides, so the comparison is consistent.
    /// </summary>
    private static (Dictionary<string, double> P, Dictionary<string, double> Q) Distributions(ColumnProfile baseline, ColumnProfile current)
    {
        var bTop = Top(baseline);
        var cTop = Top(current);
        var bComplete = bTop.Values.Sum() >= baseline.Count - baseline.Nulls;
        var cComplete = cTop.Values.Sum() >= current.Count - current.Nulls;
        var keys = bTop.Keys.Union(cTop.Keys)
            .Where(k => (bTop.ContainsKey(k) || bComplete) && (cTop.ContainsKey(k) || cComplete))
            .ToHashSet(StringComparer.Ordinal);
        Dictionary<string, double> Side(Dictionary<string, long> top, ColumnProfile profile)
        {
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var key in keys) result[key] = top.GetValueOrDefault(key);
            var other = profile.Count - profile.Nulls - keys.Sum(k => top.GetValueOrDefault(k));
            if (other > 0) result[OtherBucket] = other;
            return result;
        }
        return (Side(bTop, baseline), Side(cTop, current));
    }

    private static Dictionary<string, long> Top(ColumnProfile profile)
    {
        var top = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var v in profile.TopValues) top[v.Value] = top.GetValueOrDefault(v.Value) + v.Count;
        return top;
    }

    private static List<double> Shares(IReadOnlyList<long> counts)
    {
        var total = (double)counts.Sum();
        return counts.Select(c => c / total).ToList();
    }

    private static double Total(Histogram histogram) => histogram.Counts.Sum(c => (double)c);

    private static double Weight(IReadOnlyDictionary<string, double> weights, string parameter)
    {
        var total = 0.0;
        foreach (var w in weights.Values)
        {
            if (!(w >= 0) || double.IsPositiveInfinity(w)) throw new ArgumentException("Weights must be finite and non-negative.", parameter);
            total += w;
        }
        return total;
    }

    private static void Validate(Histogram histogram, string parameter)
    {
        ArgumentNullException.ThrowIfNull(histogram, parameter);
        ColumnStatsBuilder.ValidateEdges(histogram.Edges, parameter);
        if (histogram.Counts.Count != histogram.Edges.Count - 1)
            throw new ArgumentException($"A histogram with {histogram.Edges.Count} edges needs {histogram.Edges.Count - 1} counts, not {histogram.Counts.Count}.", parameter);
        if (histogram.Counts.Any(c => c < 0)) throw new ArgumentException("Histogram counts must be non-negative.", parameter);
    }

    private static Dictionary<string, ColumnProfile> ByName(IReadOnlyList<ColumnProfile> profiles, string parameter)
    {
        var byName = new Dictionary<string, ColumnProfile>(StringComparer.Ordinal);
        foreach (var p in profiles)
            if (!byName.TryAdd(p.Name, p)) throw new ArgumentException($"Column '{p.Name}' is profiled twice.", parameter);
        return byName;
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
