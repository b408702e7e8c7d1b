using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Portal;

namespace Orchestrator.Functions.Triggers;

/// <summary>
/// The portal's files through one anonymous trigger at every path the API does not own (host.json's route prefix is
/// empty, so the API's triggers sit under <c>api/</c> and the portal at the root). The files are public, as a static site's
/// are: what they show comes from the API, which checks every call. It takes every method so that what no API trigger
/// matches (an unknown path, a known one with another method) answers the same problem+json 404 or 405 as the server.
/// </summary>
public sealed class PortalFunctions(PortalFiles portal)
{
    public const string Name = "Portal";

    [Function(Name)]
    public IActionResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", "put", "patch", "delete", Route = "{*path}")] HttpRequest req, string? path) =>
        portal.Serve(req.HttpContext, path).ToActionResult();
}
