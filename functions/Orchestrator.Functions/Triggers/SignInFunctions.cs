using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP trigger of <see cref="SignInApi"/>: the Functions app has no development issuer, so it answers 404 (App Service authentication signs people in on Azure).</summary>
public sealed class SignInFunctions(ApiInvoker api)
{
    [Function(nameof(SignInApi.MintDevelopmentToken))]
    public Task<IActionResult> MintDevelopmentToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + SignInApi.DevelopmentTokenRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
