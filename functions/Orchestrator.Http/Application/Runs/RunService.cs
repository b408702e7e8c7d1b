using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application.Approvals;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Runs;

/// <summary>Lifecycle runs: start one on a dataset version, re-run an ended one, follow them, read the model card.</summary>
public sealed class RunService(ProjectStore projectStore, DatasetStore datasetStore, RunStore runStore, TrialStore trialStore, ApprovalStore approvalStore,
    ModelCardBuilder modelCards, DataRights rights, RunLauncher launcher, Workflows.DataLake.DatasetIngestion ingestion)
{
    /// <summary>How many attempts a run's history shows at most.</summary>
    private const int MaxAttempts = 50;

    /// <summary>
    /// Starts a run on the requested version, or on the newest ready one (else the newest still being ingested: the
    /// run curates it once its ingestion is done). A conflict when the version failed ingestion.
    /// </summary>
    public async Task<Outcome<RunStartedView>> StartAsync(string project, StartRunRequest request, AccessContext? access, DurableTaskClient client, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (request.Dataset is not { } dataset || !Names.IsValidName(dataset))
            return Failure.Invalid("dataset", "The dataset name is required (lower-case letters, digits and hyphens).");
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return Failure.ProjectNotFound(project);
        if (await rights.DemandAsync(access, project, dataset, ct) is { } restricted) return restricted;
        var versions = await datasetStore.ListDatasetVersionsAsync(project, dataset, ct);
        var chosen = request.Version is { } v
            ? versions.FirstOrDefault(x => x.Version == v)
            : versions.LastOrDefault(x => x.Status == DatasetStatus.Ready) ?? versions.LastOrDefault(x => x.Status == DatasetStatus.Pending);
        if (chosen is null)
            return Failure.NotFound("Dataset version not found", request.Version is null
                ? $"Dataset '{dataset}' of project '{project}' has no usable version; upload one first."
                : $"Dataset '{dataset}' of project '{project}' has no version {request.Version}.");
        if (chosen.Status == DatasetStatus.Failed)
            return Failure.Conflict("Dataset version failed ingestion", $"Version {chosen.Version} of '{dataset}' failed ingestion: {chosen.Error}");
        if (await SliceProblemsAsync(definition, chosen, ct) is { } sliceProblems) return sliceProblems;
        var run = await launcher.StartAsync(client, project, dataset, chosen.Version, "api", access?.Caller.Id, ct: ct);
        var statusUrl = StatusUrl(run.RunId);
        return Outcome<RunStartedView>.Accepted(new RunStartedView(run.RunId, statusUrl, chosen.Version), statusUrl);
    }

    /// <summary>
    /// A new attempt of an ended run, linked to it (lineage), with optional overrides of the dataset version, the
    /// candidates or the search space (each replaces the other: candidates given drop the previous search space).
    /// </summary>
    public async Task<Outcome<RerunStartedView>> RerunAsync(string runId, RerunRequest? request, AccessContext? access, DurableTaskClient client, CancellationToken ct)
    {
        if (await FindAsync(runId, ct) is not { } previous) return RunNotFound(runId);
        if (!RunStatus.IsFinal(previous.Status))
            return Failure.Conflict("Run still active", $"Run '{runId}' is {previous.Status}; rerun it once it has ended (or cancel its approval).");
        if (await projectStore.GetProjectAsync(previous.Project, ct) is not { } project) return Failure.ProjectNotFound(previous.Project);
        if (request?.Candidates is { } candidates)
        {
            var errors = ByField(SearchSpace.Validate(project.Task, candidates));
            if (candidates.Count == 0) errors["candidates"] = ["At least one candidate."];
            if (errors.Count > 0) return Failure.Invalid(errors);
        }
        if (request?.SearchSpace is { } space && ByField(SearchStrategies.Validate(project.Task, space)) is { Count: > 0 } spaceErrors)
            return Failure.Invalid(spaceErrors);
        var version = request?.Version ?? previous.DatasetVersion ?? 0;
        var info = await datasetStore.GetDatasetVersionAsync(previous.Project, previous.Dataset, version, ct);
        if (info is null) return Failure.NotFound("Dataset version not found", $"{previous.Project}/{previous.Dataset} has no version {version}.");
        if (info.Status == DatasetStatus.Failed) return Failure.Conflict("Dataset version failed ingestion", info.Error ?? "");
        if (await SliceProblemsAsync(project, info, ct) is { } sliceProblems) return sliceProblems;
        var run = await launcher.StartAsync(client, previous.Project, previous.Dataset, version, "rerun", access?.Caller.Id,
            previous: previous, candidates: request?.Candidates ?? (request?.SearchSpace is null ? previous.Candidates : null),
            searchSpace: request?.SearchSpace ?? (request?.Candidates is null ? previous.SearchSpace : null), ct: ct);
        var statusUrl = StatusUrl(run.RunId);
        return Outcome<RerunStartedView>.Accepted(new RerunStartedView(run.RunId, statusUrl, previous.RunId, run.Attempt, version), statusUrl);
    }

    /// <summary>A project's runs, but those on datasets restricted from the caller.</summary>
    public async Task<Outcome<RunsView>> ListAsync(string project, RunsQuery query, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        var errors = new Dictionary<string, string[]>();
        var status = WireNames.Find<RunStatus>(query.Status);
        if (!string.IsNullOrEmpty(query.Status) && status is null)
            errors["status"] = [$"One of {string.Join(", ", WireNames.All<RunStatus>())}."];
        if (query.Order is not (null or "" or "oldest" or "newest")) errors["order"] = ["oldest (the default) or newest."];
        var page = Checks.Page(query.Offset, query.Limit, DefaultRunsLimit, MaxRunsLimit, errors);
        if (errors.Count > 0) return Failure.Invalid(errors);

        var reader = rights.For(access);
        var runs = new List<RunInfo>();
        foreach (var run in await runStore.ListRunsAsync(project, ct))
        {
            if ((status is not null && run.Status != status) || (!string.IsNullOrEmpty(query.Trigger) && run.Trigger != query.Trigger)
                || (!string.IsNullOrEmpty(query.Dataset) && run.Dataset != query.Dataset)) continue;
            if (await reader.MayReadAsync(run.Project, run.Dataset, ct)) runs.Add(run);
        }
        if (query.Order == "newest") runs.Reverse();
        return Outcome<RunsView>.Ok(new RunsView(project, page.Of(runs), runs.Count, page.Offset, page.Limit, page.NextOffset(runs.Count)));
    }

    public const int DefaultRunsLimit = 100;
    public const int MaxRunsLimit = 500;

    /// <summary>
    /// A run with its progress, leaderboard (by the project's primary metric; left out, and not ranked, when
    /// <paramref name="trials"/> is <c>false</c> — a page that polls the run pages it from <c>/trials</c>), best trial,
    /// approval and attempts; the rows it trains on are the trials' until the sweep has ended and the run records them.
    /// </summary>
    public async Task<Outcome<RunView>> GetAsync(string runId, string? trials, CancellationToken ct)
    {
        if (!bool.TryParse(trials ?? "true", out var withTrials)) return Failure.Invalid("trials", "Either true or false.");
        if (await FindAsync(runId, ct) is not { } run) return RunNotFound(runId);
        var project = await projectStore.GetProjectAsync(run.Project, ct);
        var trialRows = await trialStore.ListTrialsAsync(runId, ct);
        var leaderboard = withTrials
            ? Leaderboard.Rank(trialRows, project?.PrimaryMetric ?? "", descending: project is null || !Metrics.LowerIsBetter(project.PrimaryMetric))
            : [];
        var approval = run.ApprovalId is not null && (await approvalStore.GetApprovalAsync(run.ApprovalId, ct))?.Approval is { } a ? ApprovalView.Of(a) : null;
        var attempts = new List<RunAttemptView>();
        for (var at = run; at is not null && attempts.Count < MaxAttempts; at = at.PreviousRunId is null ? null : await runStore.GetRunAsync(at.PreviousRunId, ct))
            attempts.Add(new RunAttemptView(at.RunId, at.Attempt, at.Status, at.DatasetVersion, at.Error, at.CreatedAt));
        return Outcome<RunView>.Ok(new RunView(run.RunId, run.Project, run.Dataset, run.DatasetVersion, run.Stage, run.Status,
            new RunProgressView(trialRows.Count, run.TrialsTotal), leaderboard, trialRows.FirstOrDefault(t => t.TrialId == run.BestTrialId), approval,
            run.ModelVersion, run.Error, run.Trigger, run.RequestedBy, run.CreatedAt, run.UpdatedAt, run.Attempt, run.PreviousRunId, attempts,
            run.Champion, run.SweepNote, run.TrainingRows ?? trialRows.Select(t => t.TrainingRows).FirstOrDefault(r => r is not null)));
    }

    /// <summary>The model card of the run's best candidate, written once training passed the KPI gate.</summary>
    public async Task<Outcome<ModelCard>> GetModelCardAsync(string runId, CancellationToken ct)
    {
        if (await FindAsync(runId, ct) is not { } run) return RunNotFound(runId);
        return await modelCards.ReadAsync(run.Project, run.RunId, ct) is { } card
            ? Outcome<ModelCard>.Ok(card)
            : Failure.NotFound("No model card", $"Run '{runId}' has no model card: it is written when a candidate passes the KPI gate.");
    }

    /// <summary>The run, or null when the id is malformed or names none.</summary>
    public async Task<RunInfo?> FindAsync(string runId, CancellationToken ct) =>
        Names.IsValidId(runId) ? await runStore.GetRunAsync(runId, ct) : null;

    public static Failure RunNotFound(string runId) => Failure.NotFound("Run not found", $"Run '{runId}' does not exist.");

    private static string StatusUrl(string runId) => $"/api/runs/{runId}";

    /// <summary>
    /// The project's slice columns that the version's curated schema lacks or does not hold as categories; a version
    /// still being ingested has no schema yet, and its trials fail naming the column instead.
    /// </summary>
    private async Task<Failure?> SliceProblemsAsync(ProjectDefinition project, DatasetVersionInfo version, CancellationToken ct) =>
        project.Evaluation?.SliceBy is { Count: > 0 } sliceBy && version.Status == DatasetStatus.Ready
            && await ingestion.ReadReportAsync(version, ct) is { } report
            && ByField(SliceEvaluation.CheckSchema(sliceBy, report.Schema)) is { Count: > 0 } errors
            ? Failure.Invalid(errors)
            : null;

    private static Dictionary<string, string[]> ByField(IEnumerable<(string Field, string Message)> errors) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}
