using Orchestrator.Http.Application;

namespace Orchestrator.Http.Api;

/// <summary>Liveness (the process answers) and readiness (its storage answers).</summary>
public static class HealthApi
{
    public const string HealthRoute = "healthz";
    public const string ReadyRoute = "readyz";

    public static readonly ApiResource Resource = new("Health", "Whether the service answers, and whether its storage does.",
    [
        new(nameof(Health), "GET", HealthRoute, Health) { Scope = AccessScope.Anonymous, Summary = "Liveness: the service answers (storage is not asked)" },
        new(nameof(Ready), "GET", ReadyRoute, Ready)
        {
            Scope = AccessScope.Anonymous, Summary = "Readiness: Blob and Table storage answer; 503 with each check while they do not", Problems = [503],
        },
    ]);

    public static ApiResult<HealthView> Health() => HealthService.Live().ToApi();

    public static Task<ApiResult<ReadinessView>> Ready(HealthService health, CancellationToken ct) => health.ReadyAsync(ct).ToApi();
}
