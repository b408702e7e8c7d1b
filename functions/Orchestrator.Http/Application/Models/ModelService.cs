using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Registry;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Models;

/// <summary>
/// The model registry and its environments: the versions with what each environment serves, promotion (smoke-tested,
/// atomic, four eyes where the project asks for it) and rollback.
/// </summary>
public sealed class ModelService(ProjectStore projectStore, ModelStore modelStore, DeploymentStore deploymentStore,
    RetrainingScheduler scheduler, IOptions<UploadOptions> waits, WebhookDispatcher webhooks, DataRights rights)
{
    /// <summary>
    /// Versions with their stage, what each environment serves, aliases, and the change history; versions trained on
    /// a dataset restricted from the caller are left out (what serves which version number stays visible).
    /// </summary>
    public async Task<Outcome<ModelsView>> ListAsync(string project, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        var environments = new Dictionary<string, EnvironmentView>();
        var aliases = new Dictionary<string, int?>();
        foreach (var environment in DeploymentEnvironment.All)
        {
            var state = await deploymentStore.GetEnvironmentAsync(project, environment, ct);
            environments[environment] = new EnvironmentView(state.Version, state.Previous, state.Previous.Count > 0);
            aliases[DeploymentEnvironment.AliasOf(environment)] = state.Version;
        }
        var reader = rights.For(access);
        var versions = new List<ModelVersionInfo>();
        foreach (var version in await modelStore.ListModelVersionsAsync(project, ct))
            if (await reader.MayReadAsync(version.Project, version.Dataset, ct)) versions.Add(version);
        return Outcome<ModelsView>.Ok(new ModelsView(project, aliases["champion"], environments, aliases,
            versions, (await deploymentStore.ListDeploymentChangesAsync(project, ct)).TakeLast(100).ToList()));
    }

    /// <summary>
    /// Runs the promotion orchestration (smoke test, then the switch) and waits for it: the change, unprocessable when
    /// the smoke test fails (nothing changed), accepted if it takes longer than <see cref="UploadOptions.WaitSeconds"/>.
    /// </summary>
    public async Task<Outcome<PromotionView>> PromoteAsync(string project, int version, DeploymentRequest request, AccessContext? access,
        DurableTaskClient client, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (Check<PromotionView>(request, project, Permission.Promote, access) is { } refused) return refused;
        var environment = request.Environment!;
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return Failure.ProjectNotFound(project);
        if (await modelStore.GetModelVersionAsync(project, version, ct) is not { } model)
            return Failure.NotFound("Model version not found", $"Project '{project}' has no model version {version}.");
        // The smoke test predicts on the training rows, and its answer (and errors) speak of them.
        if (await rights.DemandAsync(access, project, model.Dataset, ct) is { } restricted) return restricted;
        var by = access?.Caller.Id;
        if (!FourEyes.MayPromote(definition.FourEyes, model.ApprovedBy, environment, by))
            return Failure.Forbidden($"Project '{project}' requires four eyes: {by} approved model version {version}, so someone else promotes it to production.", "Four eyes");
        var requestId = Guid.NewGuid().ToString("N");
        var instanceId = InstanceIds.Promotion(project, environment, requestId);
        var done = await RunAndWaitAsync(client, nameof(PromotionOrchestrator), new PromotionInput(project, version, environment, by, request.Reason, requestId), instanceId, ct);
        if (done?.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
            return new Failure(OutcomeKind.Failed, "Promotion failed", done.FailureDetails?.ErrorMessage ?? "The promotion orchestration failed.");
        if (done is null || done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            return Outcome<PromotionView>.Accepted(new PromotionView(project, version, environment, Status: "Running", PromotionId: instanceId));
        var result = done.ReadOutputAs<PromotionResult>()!;
        await webhooks.TryDispatchAsync(client, ct); // model.promoted, published by the switch, leaves now rather than on the next dispatch
        if (!result.Succeeded)
            return new Failure(OutcomeKind.Unprocessable, "The model did not pass the smoke test; nothing changed", result.Error ?? "",
                Extensions: new Dictionary<string, object?> { ["smokeTest"] = result.SmokeTest, ["environment"] = environment, ["version"] = version });
        if (environment == DeploymentEnvironment.Production) await scheduler.EnsureMonitoringAsync(client, definition, ct);
        return Outcome<PromotionView>.Ok(new PromotionView(project, version, environment, result.Change, result.SmokeTest));
    }

    /// <summary>
    /// Runs the rollback orchestration (the switch in one write, then its stages and <c>model.rolledback</c>, retried
    /// whatever crashes) and waits for it: the change, a conflict when there is nothing to roll back to, accepted if it
    /// takes longer than <see cref="UploadOptions.WaitSeconds"/>.
    /// </summary>
    public async Task<Outcome<RollbackView>> RollbackAsync(string project, DeploymentRequest request, AccessContext? access, DurableTaskClient client, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (Check<RollbackView>(request, project, Permission.Rollback, access) is { } refused) return refused;
        var environment = request.Environment!;
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        var requestId = Guid.NewGuid().ToString("N");
        var instanceId = InstanceIds.Rollback(project, environment, requestId);
        var done = await RunAndWaitAsync(client, nameof(RollbackOrchestrator), new RollbackInput(project, environment, access?.Caller.Id, request.Reason, requestId), instanceId, ct);
        if (done?.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
            return new Failure(OutcomeKind.Failed, "Rollback failed", done.FailureDetails?.ErrorMessage ?? "The rollback orchestration failed.");
        if (done is null || done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            return Outcome<RollbackView>.Accepted(new RollbackView(project, environment, Status: "Running", RollbackId: instanceId));
        if (done.ReadOutputAs<DeploymentChange?>() is not { } change)
            return Failure.Conflict("Nothing to roll back to", $"The {environment} environment of '{project}' has no previous version.");
        await webhooks.TryDispatchAsync(client, ct); // model.rolledback leaves now rather than on the next dispatch
        return Outcome<RollbackView>.Ok(new RollbackView(project, environment, change));
    }

    /// <summary>Starts the orchestration and waits for it, at most <see cref="UploadOptions.WaitSeconds"/>; null when it is still running then.</summary>
    private async Task<OrchestrationMetadata?> RunAndWaitAsync(DurableTaskClient client, string orchestrator, object input, string instanceId, CancellationToken ct)
    {
        await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions { InstanceId = instanceId }, ct);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(waits.Value.WaitSeconds));
        try { return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, wait.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return null; }
    }

    /// <summary>
    /// The request's environment and reason, then the caller's permission in that environment (grants can be scoped to
    /// one: a staging-only ML engineer cannot touch production); null when it may go on.
    /// </summary>
    private static Outcome<T>? Check<T>(DeploymentRequest request, string project, Permission permission, AccessContext? access)
    {
        if (request.Environment is not { } environment || !DeploymentEnvironment.All.Contains(environment))
            return Failure.Invalid("environment", $"One of {string.Join(", ", DeploymentEnvironment.All)}.");
        if (request.Reason is { Length: > 1000 }) return Failure.Invalid("reason", "At most 1000 characters.");
        return Checks.Access<T>(access, permission, project, environment);
    }
}
