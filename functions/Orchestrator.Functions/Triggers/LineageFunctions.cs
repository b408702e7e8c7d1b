using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="LineageApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class LineageFunctions(ApiInvoker api)
{
    [Function(nameof(LineageApi.GetLineage))]
    public Task<IActionResult> GetLineage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + LineageApi.LineageRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
