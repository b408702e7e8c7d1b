using Orchestrator.Http.Contract;
using Orchestrator.Http.Api;
using Orchestrator.Http.Portal;
using Orchestrator.Http.Security;

namespace Orchestrator.Server;

/// <summary>
/// The HTTP pipeline of the self-hosted server around the route table (<see cref="ApiRoutes"/>): problem+json for
/// crashes, unknown routes and wrong methods; the access gate before any body is read; the API, its OpenAPI document
/// and the API reference; the portal at every other path.
/// </summary>
public static class Endpoints
{
    public static WebApplication UseOrchestratorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // 404 for unknown routes, 405 for wrong methods: problem+json too, from the problem details service.
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseMiddleware<AccessGateMiddleware>();
        app.UsePortal();
        app.MapApiRoutes();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet($"/{ApiContractFiles.ReferenceRoute}/{{**asset}}", ApiContractFiles.Reference).ExcludeFromDescription();
        return app;
    }
}

/// <summary>
/// Runs <see cref="AccessGate"/> for every API endpoint, with the route's declared rule (endpoint metadata), after
/// routing and authentication and before the endpoint binds its parameters — so a caller without access never gets
/// its body read. Endpoints outside the route table (the OpenAPI document, the API reference) are public.
/// </summary>
public sealed class AccessGateMiddleware(RequestDelegate next, AccessGate gate)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ApiRoute>() is not { } route)
        {
            await next(context);
            return;
        }
        var denied = await gate.AuthorizeAsync(context, route, key => context.Request.RouteValues[key]?.ToString(), context.RequestAborted);
        if (denied is not null) await denied.ExecuteAsync(context);
        else await next(context);
    }
}
