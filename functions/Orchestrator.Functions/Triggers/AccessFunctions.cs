using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="AccessApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class AccessFunctions(ApiInvoker api)
{
    [Function(nameof(AccessApi.WhoAmI))]
    public Task<IActionResult> WhoAmI(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + AccessApi.MeRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(AccessApi.ListGrants))]
    public Task<IActionResult> ListGrants(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + AccessApi.AccessRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(AccessApi.AddGrant))]
    public Task<IActionResult> AddGrant(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + AccessApi.AccessRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(AccessApi.RevokeGrant))]
    public Task<IActionResult> RevokeGrant(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoute.PathPrefix + AccessApi.AccessRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
