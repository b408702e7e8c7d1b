using Orchestrator.Workflows.Model;

namespace Orchestrator.Http.Application.Runs;

/// <summary>How a run's trials are ranked.</summary>
public static class Leaderboard
{
    /// <summary>
    /// Trials best first by <paramref name="metric"/>, the final rung of a halving search before earlier rungs; trials
    /// that failed or lack the metric last, unranked, by id.
    /// </summary>
    public static List<LeaderboardEntry> Rank(IReadOnlyList<TrialResult> trials, string metric, bool descending)
    {
        var ranked = trials.Where(t => t.Status == TrialStatus.Succeeded && t.Metrics.ContainsKey(metric))
            .OrderByDescending(t => t.Rung)
            .ThenBy(t => descending ? -t.Metrics[metric] : t.Metrics[metric])
            .ThenBy(t => t.TrialId, StringComparer.Ordinal).ToList();
        var rankedSet = ranked.ToHashSet();
        return ranked.Concat(trials.Where(t => !rankedSet.Contains(t)).OrderBy(t => t.TrialId, StringComparer.Ordinal))
            .Select((t, i) => new LeaderboardEntry(rankedSet.Contains(t) ? i + 1 : null, $"{t.RunId}.{t.TrialId}", t.TrialId, t.Trainer, t.Parameters,
                t.Status, t.Metrics, t.Rung, t.Budget, t.Folds, t.Seed, t.TrainingSeconds, t.ModelBytes, t.Error, t.StartedAt, t.EndedAt))
            .ToList();
    }
}
