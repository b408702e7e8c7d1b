using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Runs;

/// <summary>The trials of a run's sweep: the leaderboard in any of the task's metrics, and one trial in full.</summary>
public sealed class TrialQueries(ProjectStore projectStore, TrialStore trialStore, RunService runs)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// The leaderboard sorted by <paramref name="sort"/> (<c>metric</c>, <c>metric:asc</c> or <c>metric:desc</c>;
    /// default: the project's primary metric, best first).
    /// </summary>
    public async Task<Outcome<LeaderboardView>> ListAsync(string runId, string? sort, string? offset, string? limit, CancellationToken ct)
    {
        if (await runs.FindAsync(runId, ct) is not { } run) return RunService.RunNotFound(runId);
        var project = await projectStore.GetProjectAsync(run.Project, ct);
        var parts = (sort ?? "").Split(':');
        var metric = parts[0].Length > 0 ? parts[0] : project?.PrimaryMetric ?? "";
        var known = Metrics.ByTask.GetValueOrDefault(project?.Task ?? "") ?? [];
        var errors = new Dictionary<string, string[]>();
        if (!known.Contains(metric) || parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("asc" or "desc")))
            errors["sort"] = [$"A metric of this run ({string.Join(", ", known)}), optionally :asc or :desc."];
        var page = Checks.Page(offset, limit, DefaultLimit, MaxLimit, errors);
        if (errors.Count > 0) return Failure.Invalid(errors);
        var descending = parts.Length == 2 ? parts[1] == "desc" : !Metrics.LowerIsBetter(metric);
        var ranked = Leaderboard.Rank(await trialStore.ListTrialsAsync(runId, ct), metric, descending);
        return Outcome<LeaderboardView>.Ok(new LeaderboardView(runId, $"{metric}:{(descending ? "desc" : "asc")}", page.Of(ranked), ranked.Count,
            page.Offset, page.Limit, page.NextOffset(ranked.Count)));
    }

    /// <summary>One trial by <c>{runId}.{trialId}</c>, with its confusion matrix, recall per class and model.</summary>
    public async Task<Outcome<TrialView>> GetAsync(string id, CancellationToken ct)
    {
        var dot = id.LastIndexOf('.');
        var (runId, trialId) = dot > 0 ? (id[..dot], id[(dot + 1)..]) : ("", "");
        if (!Names.IsValidId(runId) || !Names.IsValidId(trialId) || await trialStore.GetTrialAsync(runId, trialId, ct) is not { } trial)
            return Failure.NotFound("Trial not found", $"No trial '{id}' (ids look like {{runId}}.t001).");
        var run = await runs.FindAsync(runId, ct);
        return Outcome<TrialView>.Ok(new TrialView(id, trial.RunId, trial.TrialId, run?.Project, run?.Dataset, run?.DatasetVersion, trial.Trainer,
            trial.Parameters, trial.Status, trial.Metrics, trial.ConfusionMatrix, ModelCardBuilder.PerClassRecall(trial.ConfusionMatrix), trial.Seed,
            trial.Folds, trial.Rung, trial.Budget, trial.TrainingSeconds, trial.ModelBytes,
            trial.ModelBlob is null ? null : $"{StorageNames.ModelsContainer}/{trial.ModelBlob}", trial.Error, trial.StartedAt, trial.EndedAt, trial.TrainingRows,
            trial.Slices));
    }
}
