using Orchestrator.Http.Security;

namespace Orchestrator.Http.Application.Access;

/// <summary>
/// A grant to add or revoke: a principal (<c>alice@contoso.com</c>, <c>group:{name}</c> or <c>app:{id}</c>), a role,
/// and where it applies (a project or <c>*</c>, an environment or <c>*</c>; left out: <c>*</c>).
/// </summary>
public sealed record GrantRequest(string? Principal, string? Role, string? Project, string? Environment);

/// <summary>A grant of a role: to whom, where, and who granted it when (token roles have neither).</summary>
public sealed record GrantView(string Principal, string Role, string Project, string Environment, string? GrantedBy, DateTimeOffset? GrantedAt)
{
    public static GrantView Of(AccessGrant g) => new(g.Principal, g.Role, g.Project, g.Environment, g.GrantedBy, g.GrantedAt);
}

/// <summary>
/// The caller as the server sees it: its id, token roles and groups, every grant that applies to it, the permissions it
/// has somewhere (<c>permissions</c>), in every project (<c>everywhere</c>), and in each project a grant names
/// (<c>projects</c>: a portal shows a project's actions by these; the API still checks each call).
/// </summary>
public sealed record MeView(string Id, bool IsService, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups, IReadOnlyList<GrantView> Grants,
    IReadOnlyList<string> Permissions, IReadOnlyList<string> Everywhere, IReadOnlyDictionary<string, IReadOnlyList<string>> Projects);

/// <summary>The stored grants that match the query.</summary>
public sealed record GrantsView(IReadOnlyList<GrantView> Grants);

/// <summary>The grant as stored, and whether it was there already (then nothing changed).</summary>
public sealed record GrantAddedView(GrantView Grant, bool Existing);
