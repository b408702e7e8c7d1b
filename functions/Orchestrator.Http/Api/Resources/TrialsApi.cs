using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Application.Runs;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>The trials of a run's sweep: the leaderboard and each trial's metrics.</summary>
public static class TrialsApi
{
    public const string RunTrialsRoute = "runs/{runId}/trials";
    public const string TrialRoute = "trials/{id}";

    public static readonly ApiResource Resource = new("Trials", "The candidates a run trained: leaderboard, metrics, confusion matrices.",
    [
        new(nameof(ListTrials), "GET", RunTrialsRoute, ListTrials)
        {
            Permission = Permission.Read, Scope = AccessScope.Run, Data = DataScope.Derived, Summary = "The leaderboard of a run, sorted by a metric, a page at a time", Problems = [400, 404],
        },
        new(nameof(GetTrial), "GET", TrialRoute, GetTrial)
        {
            Permission = Permission.Read, Scope = AccessScope.Trial, Data = DataScope.Derived, Summary = "Read one trial ({runId}.{trialId})", Problems = [404],
        },
    ]);

    public static Task<ApiResult<LeaderboardView>> ListTrials(string runId, string? sort, string? offset, string? limit, TrialQueries trials,
        CancellationToken ct) =>
        trials.ListAsync(runId, sort, offset, limit, ct).ToApi();

    public static Task<ApiResult<TrialView>> GetTrial(string id, TrialQueries trials, CancellationToken ct) => trials.GetAsync(id, ct).ToApi();
}
