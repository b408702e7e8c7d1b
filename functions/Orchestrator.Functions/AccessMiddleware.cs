using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Orchestrator.Http.Api;
using Orchestrator.Http.Security;

namespace Orchestrator.Functions;

/// <summary>
/// Runs <see cref="AccessGate"/> before every HTTP function, with the rule of the route of the function's name in
/// <see cref="ApiRoutes"/>; the caller comes from App Service authentication's principal header. Other triggers
/// (timer, orchestration, activity) and the public files (the portal, the API document and its reference page) pass through.
/// </summary>
public sealed class AccessMiddleware(AccessGate gate) : IFunctionsWorkerMiddleware
{
    /// <summary>Triggers outside the route table that serve files anyone may read; every other HTTP trigger is a route.</summary>
    public static readonly IReadOnlySet<string> PublicFiles = new HashSet<string>(StringComparer.Ordinal)
    {
        Triggers.PortalFunctions.Name, Triggers.ContractFunctions.DocumentName, Triggers.ContractFunctions.ReferenceName,
    };

    /// <inheritdoc />
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http || PublicFiles.Contains(context.FunctionDefinition.Name))
        {
            await next(context);
            return;
        }
        var data = context.BindingContext.BindingData;
        var denied = await gate.AuthorizeAsync(http, ApiRoutes.Named(context.FunctionDefinition.Name),
            key => data.TryGetValue(key, out var value) ? value?.ToString() : null, context.CancellationToken);
        if (denied is not null)
        {
            context.GetInvocationResult().Value = new ResultActionResult(denied);
            return;
        }
        await next(context);
    }
}
