using Orchestrator.Http.Api;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Access;

/// <summary>
/// Who the caller is, and the stored grants of roles to people, groups and apps per project and environment (roles in
/// tokens are the identity provider's, not listed here).
/// </summary>
public sealed class AccessService(AccessStore store, ProjectStore projectStore, TimeProvider clock)
{
    /// <summary>The caller's identity, its grants, and its permissions: in some project, in every project, and in each project a grant names.</summary>
    public static MeView WhoAmI(AccessContext access)
    {
        List<string> Where(Func<Permission, bool> allows) => Enum.GetValues<Permission>().Where(allows).Select(p => p.ToString()).ToList();
        var named = access.Grants.Select(g => g.Project).Where(p => p != AccessGrant.Any).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new(access.Caller.Id, access.Caller.IsService, access.Caller.Roles, access.Caller.Groups, access.Grants.Select(GrantView.Of).ToList(),
            Where(p => access.Allows(p, null)), Where(access.AllowsEverywhere),
            named.ToDictionary(project => project, project => (IReadOnlyList<string>)Where(p => access.Allows(p, project)), StringComparer.Ordinal));
    }

    /// <summary>The stored grants, of one principal and one project when they are given.</summary>
    public async Task<Outcome<GrantsView>> ListAsync(string? principal, string? project, CancellationToken ct) =>
        Outcome<GrantsView>.Ok(new GrantsView((await store.ListAsync(NullIfEmpty(principal), NullIfEmpty(project), ct)).Select(GrantView.Of).ToList()));

    /// <summary>
    /// Grants the role (201), or answers the grant as it was (200, <c>existing</c>) when it is there already; 404 when
    /// the project does not exist.
    /// </summary>
    public async Task<Outcome<GrantAddedView>> GrantAsync(GrantRequest request, string grantedBy, CancellationToken ct)
    {
        var parsed = Parse(request);
        if (parsed.Value is not { } grant) return parsed.Failure!;
        if (grant.Project != AccessGrant.Any && await projectStore.GetProjectAsync(grant.Project, ct) is null) return Failure.ProjectNotFound(grant.Project);
        var stored = grant with { GrantedBy = grantedBy, GrantedAt = clock.GetUtcNow() };
        var added = await store.GrantAsync(stored, ct);
        var view = new GrantAddedView(GrantView.Of(stored), Existing: !added);
        var outcome = added
            ? Outcome<GrantAddedView>.Created(view, $"/api/access?principal={Uri.EscapeDataString(stored.Principal)}&project={Uri.EscapeDataString(stored.Project)}")
            : Outcome<GrantAddedView>.Ok(view);
        return outcome with { AuditDetail = Describe(grant) + (added ? "" : " (already granted)") };
    }

    /// <summary>Revokes the grant (204); 404 when there was no such grant.</summary>
    public async Task<Outcome<NoBody>> RevokeAsync(GrantRequest request, CancellationToken ct)
    {
        var parsed = Parse(request);
        if (parsed.Value is not { } grant) return parsed.Failure!;
        var outcome = await store.RevokeAsync(grant.Principal, grant.Role, grant.Project, grant.Environment, ct)
            ? Outcome<NoBody>.NoContent()
            : Failure.NotFound("Grant not found", $"{grant.Principal} has no {grant.Role} grant for project '{grant.Project}', environment '{grant.Environment}'.");
        return outcome with { AuditDetail = Describe(grant) };
    }

    private static string Describe(AccessGrant grant) => $"{grant.Principal} {grant.Role} project={grant.Project} environment={grant.Environment}";

    /// <summary>The grant the request names (principal lower-cased, the role as the product spells it, <c>*</c> where it names no project or environment), or the fields that are wrong.</summary>
    private static Outcome<AccessGrant> Parse(GrantRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var principal = request.Principal?.Trim();
        if (string.IsNullOrEmpty(principal) || principal.Length > 256 || principal.Contains('|'))
            errors["principal"] = ["A user (email or user name), 'group:{name}' or 'app:{id}' is required (at most 256 characters)."];
        var role = Roles.Normalize(request.Role);
        if (role is null) errors["role"] = [$"One of {string.Join(", ", Roles.All)}."];
        var project = OrAny(request.Project);
        if (project != AccessGrant.Any && !Names.IsValidName(project)) errors["project"] = ["A project name or '*'."];
        var environment = OrAny(request.Environment);
        if (environment != AccessGrant.Any && !DeploymentEnvironment.All.Contains(environment))
            errors["environment"] = [$"One of {string.Join(", ", DeploymentEnvironment.All)} or '*'."];
        return errors.Count > 0 ? Failure.Invalid(errors) : Outcome<AccessGrant>.Ok(new AccessGrant(principal!.ToLowerInvariant(), role!, project, environment));
    }

    private static string OrAny(string? value) => string.IsNullOrWhiteSpace(value) ? AccessGrant.Any : value.Trim();

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
