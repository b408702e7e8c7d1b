using Orchestrator.Http.Application;

namespace Orchestrator.Http.Api;

/// <summary>Liveness: storage answers.</summary>
public static class HealthApi
{
    public const string HealthRoute = "healthz";

    public static readonly ApiResource Resource = new("Health", "Whether the service and its storage answer.",
    [
        new(nameof(Health), "GET", HealthRoute, Health) { Scope = AccessScope.Anonymous, Summary = "Liveness: the service and its storage answer" },
    ]);

    public static Task<ApiResult<HealthView>> Health(HealthService health, CancellationToken ct) => health.CheckAsync(ct).ToApi();
}
