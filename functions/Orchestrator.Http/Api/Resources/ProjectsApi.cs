using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Application.Projects;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Http.Api;

/// <summary>Project definitions: task, label, metrics and KPIs, approvers, candidates or search space, schedules.</summary>
public static class ProjectsApi
{
    public const string ProjectsRoute = "projects";
    public const string ProjectRoute = "projects/{project}";

    public static readonly ApiResource Resource = new("Projects", "Project definitions: the task, label, metrics and KPIs, approvers, candidates or search space, retraining.",
    [
        new(nameof(ListProjects), "GET", ProjectsRoute, ListProjects)
        {
            Permission = Permission.Read, Summary = "List the projects the caller may read, by name",
            Description = "Each project with its task, label, primary metric and approvers; projects the caller holds no grant in are left out.",
        },
        new(nameof(PutProject), "PUT", ProjectRoute, PutProject)
        {
            Permission = Permission.ProjectWrite, Scope = AccessScope.Project, Audit = "project.put",
            Summary = "Create or replace a project definition", Success = [201], Problems = [400],
        },
        new(nameof(GetProject), "GET", ProjectRoute, GetProject)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Summary = "Read a project definition", Problems = [400, 404],
        },
    ]);

    public static Task<ApiResult<ProjectListView>> ListProjects(HttpContext context, ProjectService projects, CancellationToken ct) =>
        projects.ListAsync(AccessGate.Current(context)!, ct).ToApi();

    public static Task<ApiResult<ProjectView>> PutProject(string project, JsonBody<ProjectDefinition> body, ProjectService projects, CancellationToken ct) =>
        projects.PutAsync(project, body.Value, ct).ToApi();

    public static Task<ApiResult<ProjectView>> GetProject(string project, ProjectService projects, CancellationToken ct) =>
        projects.GetAsync(project, ct).ToApi();
}
