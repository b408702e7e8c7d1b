using System.Collections.Concurrent;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Serving;

/// <summary>
/// Which model version serves an environment of a project, looked up at most every couple of seconds per project
/// instead of on every request; a switch made in this process is seen at once, one made elsewhere within the
/// refresh interval. The model itself comes from <see cref="ModelCache"/>: a new version is loaded while the old one
/// keeps answering, so a promotion never fails a request.
/// </summary>
public sealed class ProductionModels(ModelStore modelStore, DeploymentStore deploymentStore, ModelCache models, TimeProvider clock)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<(string Project, string Environment), (ModelVersionInfo? Model, DateTimeOffset At)> _pointers = new();

    /// <summary>The version serving <paramref name="environment"/> and its loaded model, or null when none serves it.</summary>
    public async Task<(ModelVersionInfo Version, LoadedModel Model)?> GetAsync(string project, string environment = DeploymentEnvironment.Production, CancellationToken ct = default) =>
        await GetVersionAsync(project, environment, ct) is { } serving ? (serving, await models.GetAsync(serving)) : null;

    /// <summary>The version serving <paramref name="environment"/> without loading its model (cheap: what a request may ask), or null.</summary>
    public async Task<ModelVersionInfo?> GetVersionAsync(string project, string environment = DeploymentEnvironment.Production, CancellationToken ct = default)
    {
        var key = (project, environment);
        if (!_pointers.TryGetValue(key, out var pointer) || clock.GetUtcNow() - pointer.At > Refresh)
        {
            var state = await deploymentStore.GetEnvironmentAsync(project, environment, ct);
            var model = state.Version is { } v ? await modelStore.GetModelVersionAsync(project, v, ct) : null;
            pointer = (model, clock.GetUtcNow());
            _pointers[key] = pointer;
        }
        return pointer.Model;
    }

    /// <summary>Forgets what an environment serves (after this process switched it).</summary>
    public void Invalidate(string project, string environment) => _pointers.TryRemove((project, environment), out _);
}
