using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application;

/// <summary>The answer of the health route.</summary>
public sealed record HealthView(string Status);

/// <summary>Liveness: the tables and containers exist (created on first call) and storage answers.</summary>
public sealed class HealthService(MetadataTables tables, LakeStore lake)
{
    public async Task<Outcome<HealthView>> CheckAsync(CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct);
        await lake.EnsureCreatedAsync(ct);
        return Outcome<HealthView>.Ok(new HealthView("healthy"));
    }
}
