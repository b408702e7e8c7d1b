using System.Globalization;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.DataLake;

/// <summary>
/// Mergeable running statistics of one column: the partial result of one chunk of a dataset version, small enough
/// for an activity payload. Statistics of chunks merge with <see cref="ColumnStatsBuilder.Merge"/> into the
/// statistics of the whole version; counts, moments, min, max and histogram counts merge exactly.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Column type, one of <see cref="ColumnType"/>.</param>
/// <param name="Count">Rows seen, missing cells included.</param>
/// <param name="Nulls">Missing cells.</param>
/// <param name="Numeric">
/// Values counted in the moments, min, max and histogram: parsed numbers of a number column, and the dates of a date
/// column as (fractional) days since the Unix epoch 1970-01-01T00:00:00Z. Zero for other types.
/// </param>
/// <param name="Mean">Running mean of the numeric values (0 when there are none).</param>
/// <param name="M2">Sum of squared deviations from the mean (Welford; merged with Chan et al.'s parallel formula).</param>
/// <param name="Min">Smallest numeric value, or null when there are none.</param>
/// <param name="Max">Largest numeric value, or null when there are none.</param>
/// <param name="HistogramEdges">Bin edges given up front (bins + 1 increasing values), the same for every chunk; null when no histogram is kept.</param>
/// <param name="HistogramCounts">Values per bin; values outside the edges are counted in the first or last bin.</param>
/// <param name="ValueCounts">Categorical, boolean and text columns: count per value, at most the builder's cap of values; null for number and date columns.</param>
/// <param name="ValueCountsTruncated">True when some values were not tracked because of the cap, so <paramref name="ValueCounts"/> is partial.</param>
public sealed record ColumnStats(
    string Name,
    string Type,
    long Count,
    long Nulls,
    long Numeric,
    double Mean,
    double M2,
    double? Min,
    double? Max,
    IReadOnlyList<double>? HistogramEdges,
    IReadOnlyList<long>? HistogramCounts,
    IReadOnlyDictionary<string, long>? ValueCounts,
    bool ValueCountsTruncated);

/// <summary>
/// Accumulates <see cref="ColumnStats"/> over the canonical cells of one column (numbers as invariant-culture text,
/// booleans "true"/"false", dates "yyyy-MM-dd" or "yyyy-MM-ddTHH:mm:ss", null = missing).
/// </summary>
public sealed class ColumnStatsBuilder
{
    /// <summary>Default cap on the distinct values tracked per column.</summary>
    public const int DefaultMaxTrackedValues = 1000;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss"];

    private readonly string name;
    private readonly string type;
    private readonly bool numeric;
    private readonly double[]? edges;
    private readonly long[]? counts;
    private readonly Dictionary<string, long>? values;
    private readonly int maxTrackedValues;
    private long count;
    private long nulls;
    private long n;
    private double mean;
    private double m2;
    private double min = double.PositiveInfinity;
    private double max = double.NegativeInfinity;
    private bool truncated;

    /// <summary>Starts empty statistics of a column.</summary>
    /// <param name="name">Column name.</param>
    /// <param name="type">Column type, one of <see cref="ColumnType"/>; an unknown type is treated as text.</param>
    /// <param name="histogramEdges">
    /// Histogram bin edges for number and date columns (at least two, strictly increasing, dates in days since the
    /// Unix epoch), e.g. from <see cref="Edges"/>; the same for every chunk of a version. Null keeps no histogram;
    /// ignored for other types.
    /// </param>
    /// <param name="maxTrackedValues">Cap on distinct values counted for categorical, boolean and text columns; a value first seen once the cap is reached is not tracked and the counts are marked truncated.</param>
    public ColumnStatsBuilder(string name, string type, IReadOnlyList<double>? histogramEdges, int maxTrackedValues = DefaultMaxTrackedValues)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedValues, 1);
        this.name = name;
        this.type = type;
        this.maxTrackedValues = maxTrackedValues;
        numeric = IsNumeric(type);
        if (numeric)
        {
            if (histogramEdges is not null)
            {
                ValidateEdges(histogramEdges, nameof(histogramEdges));
                edges = [.. histogramEdges];
                counts = new long[edges.Length - 1];
            }
        }
        else
        {
            values = new Dictionary<string, long>(StringComparer.Ordinal);
        }
    }

    /// <summary>True for the types summarized by moments and histograms (number and date), false for those summarized by value counts.</summary>
    public static bool IsNumeric(string type) => type is ColumnType.Number or ColumnType.Date;

    /// <summary>
    /// The number a canonical cell counts as in the moments: a number column's value, or a date column's date as
    /// days since 1970-01-01T00:00:00Z (fractional when there is a time of day). Null when missing, not parseable or
    /// the type is not numeric.
    /// </summary>
    public static double? NumericValue(string? value, string type)
    {
        if (value is null) return null;
        switch (type)
        {
            case ColumnType.Number:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
            case ColumnType.Date:
                return DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                    ? (t - DateTime.UnixEpoch).TotalDays
                    : null;
            default:
                return null;
        }
    }

    /// <summary>Counts one canonical cell; null is a missing value. A number or date that does not parse counts as a row but not in the moments.</summary>
    public void Add(string? value)
    {
        count++;
        if (value is null)
        {
            nulls++;
            return;
        }
        if (numeric)
        {
            if (NumericValue(value, type) is { } x) AddNumber(x);
            return;
        }
        if (values!.TryGetValue(value, out var c)) values[value] = c + 1;
        else if (values.Count < maxTrackedValues) values[value] = 1;
        else truncated = true;
    }

    /// <summary>
    /// Counts one canonical cell whose number (a date's days since 1970-01-01) the caller already parsed: a number or
    /// date column takes <paramref name="parsed"/> as it is; other types count <paramref name="value"/>.
    /// </summary>
    public void Add(string? value, double parsed)
    {
        if (!numeric || value is null)
        {
            Add(value);
            return;
        }
        count++;
        AddNumber(parsed);
    }

    private void AddNumber(double x)
    {
        n++;
        var delta = x - mean;
        mean += delta / n;
        m2 += delta * (x - mean);
        if (x < min) min = x;
        if (x > max) max = x;
        if (edges is not null) counts![Bin(edges, x)]++;
    }

    /// <summary>Bin of <paramref name="x"/>: bins are [e(i), e(i+1)), the last one closed; values outside go to the first or last bin.</summary>
    internal static int Bin(IReadOnlyList<double> edges, double x)
    {
        var bins = edges.Count - 1;
        if (x < edges[1]) return 0;
        if (x >= edges[bins - 1]) return bins - 1;
        int lo = 1, hi = bins - 1; // edges[lo] <= x < edges[hi]
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (x < edges[mid]) hi = mid;
            else lo = mid;
        }
        return lo;
    }

    /// <summary>The statistics so far (a snapshot; the builder can go on adding).</summary>
    public ColumnStats ToStats() => new(
        name, type, count, nulls, n,
        n == 0 ? 0 : mean,
        n == 0 ? 0 : m2,
        n == 0 ? null : min,
        n == 0 ? null : max,
        edges is null ? null : [.. edges],
        counts is null ? null : [.. counts],
        values is null ? null : Ordered(values, int.MaxValue),
        truncated);

    /// <summary>
    /// Statistics of the union of the rows of <paramref name="a"/> and <paramref name="b"/>. Counts, moments, min,
    /// max and histogram counts are exact (up to floating-point rounding of the moments); value counts add up, and
    /// when more than <paramref name="maxTrackedValues"/> distinct values result, the most frequent are kept (ties by
    /// value) and the result is marked truncated, as it is when either side was.
    /// </summary>
    /// <exception cref="ArgumentException">The two are not statistics of the same column, type and histogram edges.</exception>
    public static ColumnStats Merge(ColumnStats a, ColumnStats b, int maxTrackedValues = DefaultMaxTrackedValues)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedValues, 1);
        if (a.Name != b.Name) throw new ArgumentException($"Cannot merge statistics of column '{a.Name}' with those of '{b.Name}'.", nameof(b));
        if (a.Type != b.Type) throw new ArgumentException($"Cannot merge {a.Type} statistics of column '{a.Name}' with {b.Type} statistics.", nameof(b));
        if (!SameEdges(a.HistogramEdges, b.HistogramEdges))
            throw new ArgumentException($"Statistics of column '{a.Name}' have different histogram edges; chunks of a version must share them.", nameof(b));

        var n = a.Numeric + b.Numeric;
        double mean = 0, m2 = 0;
        if (a.Numeric == 0) (mean, m2) = (b.Mean, b.M2);
        else if (b.Numeric == 0) (mean, m2) = (a.Mean, a.M2);
        else
        {
            var delta = b.Mean - a.Mean;
            mean = a.Mean + delta * b.Numeric / n;
            m2 = a.M2 + b.M2 + delta * delta * ((double)a.Numeric * b.Numeric / n);
        }

        IReadOnlyList<long>? histogram = null;
        if (a.HistogramCounts is not null || b.HistogramCounts is not null)
        {
            var bins = (a.HistogramEdges ?? b.HistogramEdges)!.Count - 1;
            var sum = new long[bins];
            foreach (var side in new[] { a.HistogramCounts, b.HistogramCounts })
            {
                if (side is null) continue;
                if (side.Count != bins) throw new ArgumentException($"Histogram of column '{a.Name}' has {side.Count} counts for {bins} bins.", nameof(b));
                for (var i = 0; i < bins; i++) sum[i] += side[i];
            }
            histogram = sum;
        }

        IReadOnlyDictionary<string, long>? valueCounts = null;
        var truncated = a.ValueCountsTruncated || b.ValueCountsTruncated;
        if (a.ValueCounts is not null || b.ValueCounts is not null)
        {
            var merged = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var side in new[] { a.ValueCounts, b.ValueCounts })
            {
                if (side is null) continue;
                foreach (var (value, c) in side) merged[value] = merged.GetValueOrDefault(value) + c;
            }
            if (merged.Count > maxTrackedValues) truncated = true;
            valueCounts = Ordered(merged, maxTrackedValues);
        }

        return new ColumnStats(a.Name, a.Type, a.Count + b.Count, a.Nulls + b.Nulls, n, mean, m2,
            MinOf(a.Min, b.Min, Math.Min), MinOf(a.Max, b.Max, Math.Max),
            a.HistogramEdges ?? b.HistogramEdges, histogram, valueCounts, truncated);
    }

    /// <summary>
    /// Equal-width histogram edges (<paramref name="bins"/> + 1 values) from <paramref name="min"/> to
    /// <paramref name="max"/>; when they are equal, the bins span [min - 0.5, max + 0.5].
    /// </summary>
    public static IReadOnlyList<double> Edges(double min, double max, int bins = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!double.IsFinite(min) || !double.IsFinite(max)) throw new ArgumentException("Histogram bounds must be finite.");
        if (min > max) throw new ArgumentException($"Minimum {min} is above maximum {max}.", nameof(min));
        var (lo, hi) = min == max ? (min - 0.5, max + 0.5) : (min, max);
        var edges = new double[bins + 1];
        for (var i = 0; i < bins; i++) edges[i] = lo + (hi - lo) * i / bins;
        edges[bins] = hi;
        for (var i = 1; i <= bins; i++)
            if (!(edges[i] > edges[i - 1]))
                throw new ArgumentException($"Range [{min}, {max}] is too narrow for {bins} distinct bins.", nameof(max));
        return edges;
    }

    internal static void ValidateEdges(IReadOnlyList<double> edges, string parameter)
    {
        if (edges.Count < 2) throw new ArgumentException("A histogram needs at least two edges.", parameter);
        for (var i = 0; i < edges.Count; i++)
        {
            if (!double.IsFinite(edges[i])) throw new ArgumentException("Histogram edges must be finite.", parameter);
            if (i > 0 && !(edges[i] > edges[i - 1])) throw new ArgumentException("Histogram edges must be strictly increasing.", parameter);
        }
    }

    private static bool SameEdges(IReadOnlyList<double>? a, IReadOnlyList<double>? b) =>
        a is null || b is null ? a is null && b is null : a.SequenceEqual(b);

    private static double? MinOf(double? a, double? b, Func<double, double, double> pick) =>
        a is null ? b : b is null ? a : pick(a.Value, b.Value);

    /// <summary>Counts by descending count, then value (ordinal), keeping the first <paramref name="limit"/>.</summary>
    internal static Dictionary<string, long> Ordered(IEnumerable<KeyValuePair<string, long>> counts, int limit)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (value, c) in counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(limit))
            result[value] = c;
        return result;
    }
}

/// <summary>What the data-quality report shows of one column; also the drift baseline of the column.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Column type, one of <see cref="ColumnType"/>.</param>
/// <param name="Count">Rows.</param>
/// <param name="Nulls">Missing cells.</param>
/// <param name="NullShare">Nulls / Count (0 for no rows).</param>
/// <param name="Min">Smallest value of a number or date column (dates as days since 1970-01-01), null otherwise or when there are no values.</param>
/// <param name="Max">Largest value, as <paramref name="Min"/>.</param>
/// <param name="Mean">Mean value, as <paramref name="Min"/>.</param>
/// <param name="Std">Sample standard deviation (n - 1), null when fewer than two values.</param>
/// <param name="TopValues">Categorical, boolean and text columns: the most frequent values, by descending count then value; empty for number and date columns.</param>
/// <param name="Histogram">Number and date columns with histogram edges: the histogram (dates in days since 1970-01-01).</param>
/// <param name="DistinctValues">Distinct non-missing values, when known (the value counts were not truncated); null otherwise and for number and date columns.</param>
public sealed record ColumnProfile(
    string Name,
    string Type,
    long Count,
    long Nulls,
    double NullShare,
    double? Min,
    double? Max,
    double? Mean,
    double? Std,
    IReadOnlyList<ValueCount> TopValues,
    Histogram? Histogram,
    long? DistinctValues);

/// <summary>A value of a column and how many rows have it.</summary>
public sealed record ValueCount(string Value, long Count);

/// <summary>A histogram: bins [Edges[i], Edges[i+1]) (the last one closed) and the values counted in each.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);

/// <summary>Turns merged <see cref="ColumnStats"/> into the <see cref="ColumnProfile"/> the report shows.</summary>
public static class ColumnProfiles
{
    /// <summary>Number of most frequent values a profile lists by default.</summary>
    public const int DefaultTopValues = 10;

    /// <summary>The profile of a column from its (merged) statistics.</summary>
    /// <param name="stats">Statistics of all rows of the version.</param>
    /// <param name="topValues">How many of the most frequent values to list.</param>
    public static ColumnProfile ToProfile(ColumnStats stats, int topValues = DefaultTopValues)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentOutOfRangeException.ThrowIfNegative(topValues);
        var numeric = ColumnStatsBuilder.IsNumeric(stats.Type) && stats.Numeric > 0;
        var top = stats.ValueCounts is null || ColumnStatsBuilder.IsNumeric(stats.Type)
            ? []
            : ColumnStatsBuilder.Ordered(stats.ValueCounts, topValues).Select(p => new ValueCount(p.Key, p.Value)).ToList();
        var histogram = ColumnStatsBuilder.IsNumeric(stats.Type) && stats.HistogramEdges is not null && stats.HistogramCounts is not null
            ? new Histogram([.. stats.HistogramEdges], [.. stats.HistogramCounts])
            : null;
        return new ColumnProfile(
            stats.Name, stats.Type, stats.Count, stats.Nulls,
            stats.Count == 0 ? 0 : (double)stats.Nulls / stats.Count,
            numeric ? stats.Min : null,
            numeric ? stats.Max : null,
            numeric ? stats.Mean : null,
            numeric && stats.Numeric >= 2 ? Math.Sqrt(Math.Max(0, stats.M2) / (stats.Numeric - 1)) : null,
            top,
            histogram,
            stats.ValueCounts is not null && !stats.ValueCountsTruncated && !ColumnStatsBuilder.IsNumeric(stats.Type) ? stats.ValueCounts.Count : null);
    }
}
