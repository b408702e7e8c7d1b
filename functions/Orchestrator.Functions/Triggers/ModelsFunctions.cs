using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="ModelsApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class ModelsFunctions(ApiInvoker api)
{
    [Function(nameof(ModelsApi.ListModels))]
    public Task<IActionResult> ListModels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + ModelsApi.ModelsRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(ModelsApi.PromoteModel))]
    public Task<IActionResult> PromoteModel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ModelsApi.PromoteRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(ModelsApi.RollbackModel))]
    public Task<IActionResult> RollbackModel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ModelsApi.RollbackRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);
}
