using Orchestrator.Workflows.DataLake;

namespace Orchestrator.Workflows.Monitoring;

/// <summary>One bin of a <see cref="FeatureHistogram"/>: a range of numbers or dates, or a category, on both sides.</summary>
/// <param name="Label">Categorical, boolean and text features: the category, or "(other)" for the rest (flagged by <c>other</c>); null for number and date bins.</param>
/// <param name="Lower">
/// Number and date features: the bin's lower edge (dates as days since 1970-01-01), bins being [lower, upper) and the
/// last one closed. The baseline's edges, except that the first bin reaches down to the window's smallest value when
/// that is below the baseline's range (window values outside the range are counted in the edge bins). Null for categories.
/// </param>
/// <param name="Upper">The bin's upper edge, as the lower one: the last bin reaches up to the window's largest value.</param>
/// <param name="Baseline">Share of the baseline's non-missing values in the bin; the shares of all bins sum to 1.</param>
/// <param name="Window">Share of the window's non-missing values in the bin; the shares of all bins sum to 1.</param>
/// <param name="BaselineCount">Baseline values in the bin.</param>
/// <param name="WindowCount">Window values in the bin.</param>
/// <param name="Other">True for the bucket of the categories not listed on their own (and of those whose count one side does not know).</param>
public sealed record HistogramBin(string? Label, double? Lower, double? Upper, double Baseline, double Window, long BaselineCount, long WindowCount, bool Other);

/// <summary>
/// The baseline (training data) and the window side by side over the same bins: number and date features over the
/// baseline's histogram edges (20 equal-width bins of its range), categorical, boolean and text features over their
/// most frequent categories (at most 10, by the larger share of either side) and "(other)". Missing values are left out of both sides.
/// </summary>
/// <param name="Bins">The bins, in value order for numbers and dates, by descending share for categories ("(other)" last).</param>
public sealed record FeatureHistogram(IReadOnlyList<HistogramBin> Bins);

/// <summary>Builds the <see cref="FeatureHistogram"/> of a feature from its baseline profile and its window statistics.</summary>
public static class DriftHistograms
{
    /// <summary>Categories listed on their own; the rest go to "(other)".</summary>
    public const int MaxCategories = 10;

    /// <summary>Label of the bucket of categories not listed on their own.</summary>
    public const string OtherLabel = "(other)";

    /// <summary>
    /// The histogram of a number or date feature: the window's counts on the baseline's edges (re-binned onto them if
    /// the window was binned otherwise). Null when either side has no value or no histogram.
    /// </summary>
    public static FeatureHistogram? Numeric(ColumnProfile baseline, ColumnStats window)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        if (baseline.Histogram is not { } bh || window.HistogramEdges is not { } windowEdges || window.HistogramCounts is not { } windowCounts) return null;
        var n = bh.Counts.Sum();
        var m = window.Numeric;
        if (n == 0 || m == 0) return null;
        var counts = windowEdges.SequenceEqual(bh.Edges)
            ? windowCounts
            : DatasetDiff.Rebin(new Histogram(windowEdges, windowCounts), bh.Edges).Select(s => (long)Math.Round(s * m)).ToList();
        var windowTotal = (double)counts.Sum();
        var last = bh.Counts.Count - 1;
        var bins = new List<HistogramBin>(bh.Counts.Count);
        for (var i = 0; i <= last; i++)
        {
            var lower = i == 0 && window.Min is { } min ? Math.Min(bh.Edges[0], min) : bh.Edges[i];
            var upper = i == last && window.Max is { } max ? Math.Max(bh.Edges[^1], max) : bh.Edges[i + 1];
            bins.Add(new HistogramBin(null, lower, upper, (double)bh.Counts[i] / n, windowTotal == 0 ? 0 : counts[i] / windowTotal, bh.Counts[i], counts[i], false));
        }
        return new FeatureHistogram(bins);
    }

    /// <summary>
    /// The histogram of a categorical, boolean or text feature: the categories whose counts both sides know (listed
    /// in the baseline's top values, or absent from a side whose listed values cover all its rows), the
    /// <see cref="MaxCategories"/> with the largest share on either side, then "(other)" for the rest of each side.
    /// Null when either side has no value or the window no value counts.
    /// </summary>
    public static FeatureHistogram? Categorical(ColumnProfile baseline, ColumnStats window)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        var n = baseline.Count - baseline.Nulls;
        var m = window.Count - window.Nulls;
        if (n <= 0 || m <= 0 || window.ValueCounts is not { } windowCounts) return null;
        var baselineCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var top in baseline.TopValues) baselineCounts[top.Value] = baselineCounts.GetValueOrDefault(top.Value) + top.Count;
        var baselineComplete = baselineCounts.Values.Sum() >= n;
        var windowComplete = !window.ValueCountsTruncated && windowCounts.Values.Sum() >= m;

        var chosen = baselineCounts.Keys.Union(windowCounts.Keys, StringComparer.Ordinal)
            .Where(k => (baselineCounts.ContainsKey(k) || baselineComplete) && (windowCounts.ContainsKey(k) || windowComplete))
            .Select(k => (Label: k, B: baselineCounts.GetValueOrDefault(k), W: windowCounts.GetValueOrDefault(k)))
            .OrderByDescending(c => Math.Max((double)c.B / n, (double)c.W / m)).ThenBy(c => c.Label, StringComparer.Ordinal)
            .Take(MaxCategories)
            .ToList();
        var bins = chosen.Select(c => new HistogramBin(c.Label, null, null, (double)c.B / n, (double)c.W / m, c.B, c.W, false)).ToList();
        var otherB = Math.Max(0, n - chosen.Sum(c => c.B));
        var otherW = Math.Max(0, m - chosen.Sum(c => c.W));
        if (otherB > 0 || otherW > 0) bins.Add(new HistogramBin(OtherLabel, null, null, (double)otherB / n, (double)otherW / m, otherB, otherW, true));
        return new FeatureHistogram(bins);
    }
}
