using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="TrialsApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class TrialsFunctions(ApiInvoker api)
{
    [Function(nameof(TrialsApi.ListTrials))]
    public Task<IActionResult> ListTrials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + TrialsApi.RunTrialsRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(TrialsApi.GetTrial))]
    public Task<IActionResult> GetTrial(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + TrialsApi.TrialRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
