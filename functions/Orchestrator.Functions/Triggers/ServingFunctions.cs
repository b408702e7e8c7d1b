using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="ServingApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class ServingFunctions(ApiInvoker api)
{
    [Function(nameof(ServingApi.Predict))]
    public Task<IActionResult> Predict(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ServingApi.PredictRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(ServingApi.Feedback))]
    public Task<IActionResult> Feedback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ServingApi.FeedbackRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
