using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application.Monitoring;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;

namespace Orchestrator.Http.Api;

/// <summary>Monitoring of the production model: drift and performance series, alerts, settings, a window on demand.</summary>
public static class MonitoringApi
{
    public const string MonitoringRoute = "projects/{project}/monitoring";
    public const string SettingsRoute = MonitoringRoute + "/settings";
    public const string RunRoute = MonitoringRoute + "/run";

    public static readonly ApiResource Resource = new("Monitoring", "Data drift, prediction drift and live performance of the production model; alerts and retraining.",
    [
        new(nameof(GetMonitoring), "GET", MonitoringRoute, GetMonitoring)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.Derived,
            Summary = "Drift, prediction drift and performance series with the alerts", Problems = [400, 404],
        },
        new(nameof(PutMonitoringSettings), "PUT", SettingsRoute, PutMonitoringSettings)
        {
            Permission = Permission.Operate, Scope = AccessScope.Project, Audit = "monitoring.settings",
            Summary = "Set the project's monitoring settings", Problems = [400, 404],
        },
        new(nameof(RunMonitoring), "POST", RunRoute, RunMonitoring)
        {
            Permission = Permission.Operate, Scope = AccessScope.Project, Audit = "monitoring.run", Data = DataScope.Derived,
            Summary = "Monitor a window now", Problems = [400, 404, 409],
        },
    ]);

    public static Task<ApiResult<MonitoringView>> GetMonitoring(HttpContext context, string project, string? from, string? to, MonitoringQueries monitoring,
        CancellationToken ct) =>
        monitoring.GetAsync(project, from, to, AccessGate.Current(context), ct).ToApi();

    public static Task<ApiResult<MonitoringSettingsView>> PutMonitoringSettings(string project, JsonBody<MonitoringSettings> body, MonitoringQueries monitoring,
        DurableTaskClient client, CancellationToken ct) =>
        monitoring.PutSettingsAsync(project, body.Value, client, ct).ToApi();

    public static Task<ApiResult<MonitoringReport>> RunMonitoring(HttpContext context, string project, JsonBody<MonitoringRunRequest>? body, MonitoringQueries monitoring,
        CancellationToken ct) =>
        monitoring.RunAsync(project, body?.Value, AccessGate.Current(context), ct).ToApi();
}
