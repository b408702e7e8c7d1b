using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application.Runs;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Api;

/// <summary>Lifecycle runs: start, follow, re-run; the model card of the best candidate.</summary>
public static class RunsApi
{
    public const string ProjectRunsRoute = "projects/{project}/runs";
    public const string RunRoute = "runs/{runId}";
    public const string RerunRoute = RunRoute + "/rerun";
    public const string ModelCardRoute = RunRoute + "/model-card";

    public static readonly ApiResource Resource = new("Runs", "Lifecycle runs: data engineering, the training sweep, the SME's approval, deployment.",
    [
        new(nameof(StartRun), "POST", ProjectRunsRoute, StartRun)
        {
            Permission = Permission.RunStart, Scope = AccessScope.Project, Audit = "run.start", Data = DataScope.NamedDataset,
            Summary = "Start a run on a dataset version", AnswersOk = false, Success = [202], Problems = [400, 404, 409],
        },
        new(nameof(ListRuns), "GET", ProjectRunsRoute, ListRuns)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.Derived, Summary = "List a project's runs: filtered by status, trigger and dataset, a page at a time", Problems = [400],
        },
        new(nameof(GetRun), "GET", RunRoute, GetRun)
        {
            Permission = Permission.Read, Scope = AccessScope.Run, Data = DataScope.Derived,
            Summary = "Read a run: stage, status, progress, leaderboard (left out with trials=false), approval, attempts", Problems = [400, 404],
        },
        new(nameof(Rerun), "POST", RerunRoute, Rerun)
        {
            Permission = Permission.RunStart, Scope = AccessScope.Run, Audit = "run.rerun", Data = DataScope.NamedDataset,
            Summary = "Start a new attempt of an ended run", AnswersOk = false, Success = [202], Problems = [400, 404, 409],
        },
        new(nameof(GetModelCard), "GET", ModelCardRoute, GetModelCard)
        {
            Permission = Permission.Read, Scope = AccessScope.Run, Data = DataScope.Derived, Summary = "Read the model card of a run's best candidate", Problems = [404],
        },
    ]);

    public static Task<ApiResult<RunStartedView>> StartRun(HttpContext context, string project, JsonBody<StartRunRequest> body, RunService runs,
        DurableTaskClient client, CancellationToken ct) =>
        runs.StartAsync(project, body.Value, AccessGate.Current(context), client, ct).ToApi();

    public static Task<ApiResult<RunsView>> ListRuns(HttpContext context, string project, string? status, string? trigger, string? dataset,
        string? order, string? offset, string? limit, RunService runs, CancellationToken ct) =>
        runs.ListAsync(project, new RunsQuery(status, trigger, dataset, order, offset, limit), AccessGate.Current(context), ct).ToApi();

    // trials=false leaves the leaderboard out: a page polling the run pages it from /trials instead.
    public static Task<ApiResult<RunView>> GetRun(string runId, string? trials, RunService runs, CancellationToken ct) => runs.GetAsync(runId, trials, ct).ToApi();

    public static Task<ApiResult<RerunStartedView>> Rerun(HttpContext context, string runId, JsonBody<RerunRequest>? body, RunService runs,
        DurableTaskClient client, CancellationToken ct) =>
        runs.RerunAsync(runId, body?.Value, AccessGate.Current(context), client, ct).ToApi();

    public static Task<ApiResult<ModelCard>> GetModelCard(string runId, RunService runs, CancellationToken ct) => runs.GetModelCardAsync(runId, ct).ToApi();
}
