using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="AuditApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class AuditFunctions(ApiInvoker api)
{
    [Function(nameof(AuditApi.GetAudit))]
    public Task<IActionResult> GetAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + AuditApi.AuditRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
