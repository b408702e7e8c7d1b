using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="MonitoringApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class MonitoringFunctions(ApiInvoker api)
{
    [Function(nameof(MonitoringApi.GetMonitoring))]
    public Task<IActionResult> GetMonitoring(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + MonitoringApi.MonitoringRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(MonitoringApi.PutMonitoringSettings))]
    public Task<IActionResult> PutMonitoringSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoute.PathPrefix + MonitoringApi.SettingsRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(MonitoringApi.RunMonitoring))]
    public Task<IActionResult> RunMonitoring(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + MonitoringApi.RunRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
