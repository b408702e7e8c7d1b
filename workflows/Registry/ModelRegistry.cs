using Azure;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Registry;

/// <summary>
/// Model versions per project. Registering is idempotent per run (a retried deployment finds its version);
/// promotion archives the previous production version and then moves the production pointer in one write.
/// </summary>
public sealed class ModelRegistry(MetadataStore metadata, TimeProvider clock)
{
    public async Task<ModelVersionInfo> RegisterAndPromoteAsync(DeployInput input, CancellationToken ct = default)
    {
        var versions = await metadata.ListModelVersionsAsync(input.Project, ct);
        var model = versions.FirstOrDefault(v => v.RunId == input.RunId);
        if (model is null)
        {
            var trial = await metadata.GetTrialAsync(input.RunId, input.TrialId, ct)
                ?? throw new InvalidOperationException($"Trial {input.TrialId} of run {input.RunId} does not exist.");
            model = new ModelVersionInfo(input.Project, (versions.LastOrDefault()?.Version ?? 0) + 1, ModelStage.Production,
                input.RunId, input.TrialId, trial.Trainer, trial.Metrics, input.Dataset, input.DatasetVersion,
                trial.ModelBlob ?? throw new InvalidOperationException($"Trial {input.TrialId} has no model."), input.ApprovedBy, clock.GetUtcNow());
            await metadata.PutModelVersionAsync(model, ct);
        }

        var current = await metadata.GetProductionVersionAsync(input.Project, ct);
        if (current is { } previous && previous != model.Version && await metadata.GetModelVersionAsync(input.Project, previous, ct) is { } old)
            await metadata.PutModelVersionAsync(old with { Stage = ModelStage.Archived }, ct);
        await metadata.SetProductionVersionAsync(input.Project, model.Version, ct);
        return model;
    }
}
