using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Runs;

/// <summary>The trials of a run's sweep: the leaderboard in any of the task's metrics, and one trial in full.</summary>
public sealed class TrialQueries(ProjectStore projectStore, TrialStore trialStore, RunService runs)
{
    /// <summary>
    /// The leaderboard sorted by <paramref name="sort"/> (<c>metric</c>, <c>metric:asc</c> or <c>metric:desc</c>;
    /// default: the project's primary metric, best first).
    /// </summary>
    public async Task<Outcome<LeaderboardView>> ListAsync(string runId, string? sort, CancellationToken ct)
    {
        if (await runs.FindAsync(runId, ct) is not { } run) return RunService.RunNotFound(runId);
        var project = await projectStore.GetProjectAsync(run.Project, ct);
        var parts = (sort ?? "").Split(':');
        var metric = parts[0].Length > 0 ? parts[0] : project?.PrimaryMetric ?? "";
        var known = Metrics.ByTask.GetValueOrDefault(project?.Task ?? "") ?? [];
        if (!known.Contains(metric) || parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("asc" or "desc")))
            return Failure.Invalid("sort", $"A metric of this run ({string.Join(", ", known)}), optionally :asc or :desc.");
        var descending = parts.Length == 2 ? parts[1] == "desc" : !Metrics.LowerIsBetter(metric);
        return Outcome<LeaderboardView>.Ok(new LeaderboardView(runId, $"{metric}:{(descending ? "desc" : "asc")}",
            Leaderboard.Rank(await trialStore.ListTrialsAsync(runId, ct), metric, descending)));
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
            trial.ModelBlob is null ? null : $"{StorageNames.ModelsContainer}/{trial.ModelBlob}", trial.Error));
    }
}
