using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP trigger of <see cref="ModelsApi.CompareModels"/> (champion against challenger on canary traffic), onto the route of the same name.</summary>
public sealed class ModelComparisonFunctions(ApiInvoker api)
{
    [Function(nameof(ModelsApi.CompareModels))]
    public Task<IActionResult> CompareModels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + ModelsApi.CompareRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
