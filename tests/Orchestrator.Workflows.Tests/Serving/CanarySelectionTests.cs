using Orchestrator.Workflows.Serving;

namespace Orchestrator.Workflows.Tests.Serving;

/// <summary>The canary's choice of predictions: by their id alone, the same every time, the asked share over many.</summary>
public sealed class CanarySelectionTests
{
    /// <summary>An id in the prediction log's format: the hour, the millisecond within it (8 hex digits), 24 random hex digits.</summary>
    private static string Id(DateTimeOffset at) =>
        $"{at.UtcDateTime:yyyyMMddHH}-{(long)(at.UtcDateTime - at.UtcDateTime.Date.AddHours(at.UtcDateTime.Hour)).TotalMilliseconds:x8}{Guid.NewGuid():N}"[..43];

    [Theory]
    [InlineData(30)]
    [InlineData(2.5)]
    public void Selects_ManyIds_ShareIsThePercentAndTheChoiceRepeats(double percent)
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => Id(DateTimeOffset.UnixEpoch.AddSeconds(i))).ToList();
        var chosen = ids.Where(id => CanarySelection.Selects(id, percent)).ToList();
        // Binomial: three standard deviations at 20,000 draws is within 1 point at 30 %, 0.35 points at 2.5 %.
        Assert.InRange(chosen.Count / 200.0, percent - (percent > 10 ? 1 : 0.35), percent + (percent > 10 ? 1 : 0.35));
        Assert.Equal(chosen, ids.Where(id => CanarySelection.Selects(id, percent)));
    }

    [Fact]
    public void Selects_ZeroAndHundred_NoneAndAll()
    {
        var ids = Enumerable.Range(0, 500).Select(i => Id(DateTimeOffset.UnixEpoch.AddMinutes(i))).ToList();
        Assert.DoesNotContain(ids, id => CanarySelection.Selects(id, 0));
        Assert.All(ids, id => Assert.True(CanarySelection.Selects(id, 100)));
    }

    [Fact]
    public void Selects_LargerShare_KeepsEverySmallerShareChoice()
    {
        // Raising the canary only adds predictions: what 10 % shadowed, 20 % shadows too.
        var ids = Enumerable.Range(0, 2_000).Select(i => Id(DateTimeOffset.UnixEpoch.AddSeconds(i))).ToList();
        Assert.All(ids.Where(id => CanarySelection.Selects(id, 10)), id => Assert.True(CanarySelection.Selects(id, 20)));
    }
}
