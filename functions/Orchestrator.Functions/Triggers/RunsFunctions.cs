using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="RunsApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class RunsFunctions(ApiInvoker api)
{
    [Function(nameof(RunsApi.StartRun))]
    public Task<IActionResult> StartRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + RunsApi.ProjectRunsRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(RunsApi.ListRuns))]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + RunsApi.ProjectRunsRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(RunsApi.GetRun))]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + RunsApi.RunRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(RunsApi.Rerun))]
    public Task<IActionResult> Rerun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + RunsApi.RerunRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(RunsApi.GetModelCard))]
    public Task<IActionResult> GetModelCard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + RunsApi.ModelCardRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
