using Microsoft.Extensions.Options;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Projects;

/// <summary>Project definitions: list those the caller may read, create or replace one (validated field by field), read one.</summary>
public sealed class ProjectService(ProjectStore projects, IOptionsMonitor<ApprovalOptions> approvals, AccessStore access)
{
    /// <summary>
    /// Creates or replaces <paramref name="name"/> with <paramref name="definition"/>: created, replaced, or invalid by
    /// field. The audit detail names the approvers added and removed.
    /// </summary>
    public async Task<Outcome<ProjectView>> PutAsync(string name, ProjectDefinition definition, CancellationToken ct)
    {
        if (Checks.Name(name, "project") is { } bad) return bad;
        var options = approvals.CurrentValue;
        var (valid, errors) = ProjectValidation.Validate(definition with { Name = name }, options);
        if (valid is null) return Failure.Invalid(errors, $"The definition of project '{name}' is invalid.");
        if (!options.AllowUngrantedApprovers && await UngrantedApproversAsync(valid, ct) is { Count: > 0 } ungranted)
            return Failure.Invalid(ungranted, $"The definition of project '{name}' names approvers without the {Roles.Approver} role there.");
        var previous = await projects.GetProjectAsync(name, ct);
        await projects.PutProjectAsync(valid, ct);
        var view = ProjectView.Of(valid);
        var outcome = previous is not null ? Outcome<ProjectView>.Ok(view) : Outcome<ProjectView>.Created(view, $"/api/projects/{name}");
        return ApproverChanges(previous?.Approvers ?? [], valid.Approvers) is { } changes ? outcome with { AuditDetail = changes } : outcome;
    }

    /// <summary>The projects <paramref name="access"/> may read, by name.</summary>
    public async Task<Outcome<ProjectListView>> ListAsync(AccessContext access, CancellationToken ct) =>
        Outcome<ProjectListView>.Ok(new ProjectListView((await projects.ListProjectsAsync(ct))
            .Where(p => access.Allows(Permission.Read, p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(ProjectSummaryView.Of).ToList()));

    public async Task<Outcome<ProjectView>> GetAsync(string name, CancellationToken ct)
    {
        if (Checks.Name(name, "project") is { } bad) return bad;
        return await projects.GetProjectAsync(name, ct) is { } definition ? Outcome<ProjectView>.Ok(ProjectView.Of(definition)) : Failure.ProjectNotFound(name);
    }

    /// <summary>
    /// The approvers and escalation contacts (by field, <c>approvers[i]</c>) without a stored grant of <see cref="Roles.Approver"/> or
    /// <see cref="Roles.Admin"/> in the project (or <c>*</c>): the data scientist writes the list, so naming a second
    /// mailbox of their own must not make them their own approver. Token roles cannot be known for someone else, so
    /// only grants count. Configured groups (<c>Approvals:Groups</c>) are set by operators and need no grant.
    /// </summary>
    private async Task<Dictionary<string, string[]>?> UngrantedApproversAsync(ProjectDefinition project, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        // Escalation contacts become approvers when a request is escalated, so they need the grant too.
        foreach (var (field, people) in new[] { ("approvers", project.Approvers), ("escalationContacts", project.EscalationContacts) })
            for (var i = 0; i < people.Count; i++)
            {
                var person = people[i];
                if (!person.Contains('@')) continue;
                var grants = await access.GrantsForAsync([person], ct);
                if (!grants.Any(g => g.Role is Roles.Approver or Roles.Admin && g.Covers(project.Name, null)))
                    errors[$"{field}[{i}]"] = [$"'{person}' holds no {Roles.Approver} grant for project '{project.Name}' (POST /api/access): approvers are granted, not only named (Approvals:AllowUngrantedApprovers)."];
            }
        return errors;
    }

    /// <summary>Who was added to and removed from the approver list, or null when it did not change.</summary>
    private static string? ApproverChanges(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var added = after.Where(a => !Mailbox.Contains(before, a)).ToList();
        var removed = before.Where(b => !Mailbox.Contains(after, b)).ToList();
        if (added.Count == 0 && removed.Count == 0) return null;
        var parts = new List<string>();
        if (added.Count > 0) parts.Add("approvers added: " + string.Join(", ", added));
        if (removed.Count > 0) parts.Add("approvers removed: " + string.Join(", ", removed));
        return string.Join("; ", parts);
    }
}
