using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Registry;

/// <summary>
/// Model versions per project and the environments that serve them. Registering is idempotent per run (a retried
/// deployment finds its version); an environment changes in one transaction with its history row, so a switch is
/// atomic and always recorded; rollback returns an environment to the version it served before.
/// </summary>
public sealed class ModelRegistry(TrialStore trialStore, ModelStore modelStore, DeploymentStore deploymentStore, Serving.ProductionModels serving,
    LineageStore lineage, TimeProvider clock, WebhookPublisher webhooks)
{
    /// <summary>Registers the run's approved model as a new version (stage <c>registered</c>), or returns the one registered before.</summary>
    public async Task<ModelVersionInfo> RegisterAsync(DeployInput input, CancellationToken ct = default)
    {
        var versions = await modelStore.ListModelVersionsAsync(input.Project, ct);
        if (versions.FirstOrDefault(v => v.RunId == input.RunId) is { } registered) return registered;
        var trial = await trialStore.GetTrialAsync(input.RunId, input.TrialId, ct)
            ?? throw new InvalidOperationException($"Trial {input.TrialId} of run {input.RunId} does not exist.");
        var model = new ModelVersionInfo(input.Project, (versions.LastOrDefault()?.Version ?? 0) + 1, ModelStage.Registered,
            input.RunId, input.TrialId, trial.Trainer, trial.Metrics, input.Dataset, input.DatasetVersion,
            trial.ModelBlob ?? throw new InvalidOperationException($"Trial {input.TrialId} has no model."), input.ApprovedBy, clock.GetUtcNow());
        await lineage.RecordAsync(LineageEdges.Registered(model), ct); // before the row: a version found registered has its edge
        await modelStore.PutModelVersionAsync(model, ct);
        return model;
    }

    /// <summary>
    /// Points <paramref name="input"/>'s environment at its version. Idempotent: a retry with the same request id
    /// finds its change and returns it.
    /// </summary>
    public async Task<DeploymentChange> SwitchAsync(SwitchInput input, CancellationToken ct = default)
    {
        var model = await modelStore.GetModelVersionAsync(input.Project, input.Version, ct)
            ?? throw new InvalidOperationException($"Project '{input.Project}' has no model version {input.Version}.");
        if (await FindSwitchAsync(input.Project, input.RequestId, ct) is { } done)
        {
            await UpdateStagesAsync(input.Project, done, ct); // a retry after a crash finishes what followed the switch
            await PublishAsync(done, ct); // and still announces it (same event id)
            return done;
        }
        var change = await deploymentStore.ChangeEnvironmentAsync(input.Project, input.Environment, state =>
        {
            var previous = state.Version is { } v && v != input.Version ? [.. state.Previous, v] : state.Previous;
            return (state with { Version = input.Version, Previous = previous.TakeLast(50).ToList() },
                new DeploymentChange(input.Project, input.Environment, DeploymentAction.Promote, state.Version, input.Version, input.By, input.Reason,
                    clock.GetUtcNow(), DeploymentOutcome.Switched, null, input.RequestId));
        }, ct);
        await UpdateStagesAsync(input.Project, change!, ct);
        await PublishAsync(change!, ct);
        return change!;
    }

    /// <summary>
    /// Returns an environment to the version it served before the current one; null when there is none. Idempotent: a
    /// retry with the same request id finds its change, finishes what followed it and returns it.
    /// </summary>
    public async Task<DeploymentChange?> RollbackAsync(RollbackInput input, CancellationToken ct = default)
    {
        var (project, environment) = (input.Project, input.Environment);
        var change = await FindSwitchAsync(project, input.RequestId, ct)
            ?? await deploymentStore.ChangeEnvironmentAsync(project, environment, state =>
            {
                if (state.Previous.Count == 0) return null;
                var target = state.Previous[^1];
                return (state with { Version = target, Previous = state.Previous.Take(state.Previous.Count - 1).ToList() },
                    new DeploymentChange(project, environment, DeploymentAction.Rollback, state.Version, target, input.By, input.Reason,
                        clock.GetUtcNow(), DeploymentOutcome.Switched, null, input.RequestId));
            }, ct);
        if (change is not null)
        {
            await UpdateStagesAsync(project, change, ct);
            await PublishAsync(change, ct);
        }
        return change;
    }

    /// <summary>The switch an earlier attempt of this request made, or null.</summary>
    private async Task<DeploymentChange?> FindSwitchAsync(string project, string requestId, CancellationToken ct) =>
        (await deploymentStore.ListDeploymentChangesAsync(project, ct)).LastOrDefault(c => c.RequestId == requestId && c.Outcome == DeploymentOutcome.Switched);

    /// <summary><c>model.promoted</c> or <c>model.rolledback</c>, keyed by the environment's change sequence.</summary>
    private Task<int> PublishAsync(DeploymentChange change, CancellationToken ct) => webhooks.PublishAsync(WebhookEvent.ModelChanged(change, clock.GetUtcNow()), ct);

    /// <summary>
    /// After a switch: the deployment's lineage, and the stage each version shows follows the environments — production
    /// wins over staging; replaced production is archived. Idempotent.
    /// </summary>
    private async Task UpdateStagesAsync(string project, DeploymentChange change, CancellationToken ct)
    {
        serving.Invalidate(project, change.Environment);
        await lineage.RecordAsync(LineageEdges.Deployed(change), ct);
        var production = (await deploymentStore.GetEnvironmentAsync(project, DeploymentEnvironment.Production, ct)).Version;
        var staging = (await deploymentStore.GetEnvironmentAsync(project, DeploymentEnvironment.Staging, ct)).Version;
        foreach (var version in new[] { change.FromVersion, change.ToVersion }.OfType<int>().Distinct())
        {
            if (await modelStore.GetModelVersionAsync(project, version, ct) is not { } model) continue;
            var stage = version == production ? ModelStage.Production
                : version == staging ? ModelStage.Staging
                : model.Stage is ModelStage.Production || change.Environment == DeploymentEnvironment.Production ? ModelStage.Archived
                : ModelStage.Registered;
            if (stage != model.Stage) await modelStore.PutModelVersionAsync(model with { Stage = stage }, ct);
        }
    }
}
