using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application;

/// <summary>The answer of the health route.</summary>
public sealed record HealthView(string Status);

/// <summary>The answer of the readiness route: overall, and each check with what it found.</summary>
public sealed record ReadinessView(string Status, IReadOnlyList<ReadinessCheckView> Checks);

/// <summary>One readiness check: its name, <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>, and what it found.</summary>
public sealed record ReadinessCheckView(string Name, string Status, string? Description);

/// <summary>
/// Liveness (the process answers: nothing external is asked, so an orchestrator does not restart a server whose
/// storage is down) and readiness (ASP.NET Core health checks: storage answers; 503 while it does not).
/// </summary>
public sealed class HealthService(HealthCheckService checks)
{
    public static Outcome<HealthView> Live() => Outcome<HealthView>.Ok(new HealthView("healthy"));

    public async Task<Outcome<ReadinessView>> ReadyAsync(CancellationToken ct)
    {
        var report = await checks.CheckHealthAsync(ct);
        var view = new ReadinessView(report.Status.ToString(),
            report.Entries.Select(e => new ReadinessCheckView(e.Key, e.Value.Status.ToString(), e.Value.Description)).ToList());
        return report.Status == HealthStatus.Unhealthy
            ? new Failure(OutcomeKind.Unavailable, "Not ready", string.Join(" ", view.Checks.Where(c => c.Status != "Healthy").Select(c => $"{c.Name}: {c.Description}")),
                Extensions: new Dictionary<string, object?> { ["checks"] = view.Checks })
            : Outcome<ReadinessView>.Ok(view);
    }
}
