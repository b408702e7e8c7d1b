using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Projects;

/// <summary>Project definitions: create or replace one (validated field by field), read one.</summary>
public sealed class ProjectService(ProjectStore projects, IOptions<ApprovalOptions> approvals)
{
    /// <summary>Creates or replaces <paramref name="name"/> with <paramref name="definition"/>: created, replaced, or invalid by field.</summary>
    public async Task<Outcome<ProjectView>> PutAsync(string name, ProjectDefinition definition, CancellationToken ct)
    {
        if (Checks.Name(name, "project") is { } bad) return bad;
        var (valid, errors) = ProjectValidation.Validate(definition with { Name = name }, approvals.Value);
        if (valid is null) return Failure.Invalid(errors, $"The definition of project '{name}' is invalid.");
        var existed = await projects.GetProjectAsync(name, ct) is not null;
        await projects.PutProjectAsync(valid, ct);
        var view = ProjectView.Of(valid);
        return existed ? Outcome<ProjectView>.Ok(view) : Outcome<ProjectView>.Created(view, $"/api/projects/{name}");
    }

    public async Task<Outcome<ProjectView>> GetAsync(string name, CancellationToken ct)
    {
        if (Checks.Name(name, "project") is { } bad) return bad;
        return await projects.GetProjectAsync(name, ct) is { } definition ? Outcome<ProjectView>.Ok(ProjectView.Of(definition)) : Failure.ProjectNotFound(name);
    }
}
