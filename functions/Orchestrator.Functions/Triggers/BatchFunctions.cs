using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of batch scoring (<see cref="ModelsApi.BatchScoreModel"/>, <see cref="BatchesApi.GetBatch"/>), onto the routes of the same name.</summary>
public sealed class BatchFunctions(ApiInvoker api)
{
    [Function(nameof(ModelsApi.BatchScoreModel))]
    public Task<IActionResult> BatchScoreModel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ModelsApi.BatchRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(BatchesApi.GetBatch))]
    public Task<IActionResult> GetBatch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + BatchesApi.BatchRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);
}
