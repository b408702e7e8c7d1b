using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="ProjectsApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class ProjectsFunctions(ApiInvoker api)
{
    [Function(nameof(ProjectsApi.ListProjects))]
    public Task<IActionResult> ListProjects(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + ProjectsApi.ProjectsRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(ProjectsApi.PutProject))]
    public Task<IActionResult> PutProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoute.PathPrefix + ProjectsApi.ProjectRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(ProjectsApi.GetProject))]
    public Task<IActionResult> GetProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + ProjectsApi.ProjectRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
