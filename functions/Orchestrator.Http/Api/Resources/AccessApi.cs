using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Application;
using Orchestrator.Http.Application.Access;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>Who the caller is, and the grants of roles to people, groups and apps per project and environment.</summary>
public static class AccessApi
{
    public const string MeRoute = "me";
    public const string AccessRoute = "access";

    public static readonly ApiResource Resource = new("Access", "The caller's identity and permissions; grants of roles per project and environment.",
    [
        new(nameof(WhoAmI), "GET", MeRoute, WhoAmI) { Summary = "The caller: id, roles, groups, grants and permissions" },
        new(nameof(ListGrants), "GET", AccessRoute, ListGrants) { Permission = Permission.AccessAdmin, Summary = "List stored grants" },
        new(nameof(AddGrant), "POST", AccessRoute, AddGrant)
        {
            Permission = Permission.AccessAdmin, Audit = "access.grant", Summary = "Grant a role", Success = [201], Problems = [400],
        },
        new(nameof(RevokeGrant), "DELETE", AccessRoute, RevokeGrant)
        {
            Permission = Permission.AccessAdmin, Audit = "access.revoke", Summary = "Revoke a grant", Success = [204], Problems = [400, 404],
        },
    ]);

    // Signed in is this route's whole rule, so the gate has always set the caller's access by now.
    public static ApiResult<MeView> WhoAmI(HttpContext context) => Outcome<MeView>.Ok(AccessService.WhoAmI(AccessGate.Current(context)!)).ToApi();

    public static Task<ApiResult<GrantsView>> ListGrants(string? principal, string? project, AccessService access, CancellationToken ct) =>
        access.ListAsync(principal, project, ct).ToApi();

    public static Task<ApiResult<GrantAddedView>> AddGrant(HttpContext context, JsonBody<GrantRequest> body, AccessService access, CancellationToken ct) =>
        access.GrantAsync(body.Value, AccessGate.Current(context)!.Caller.Id, ct).ToApi();

    public static Task<ApiResult<NoBody>> RevokeGrant(string? principal, string? role, string? project, string? environment, AccessService access,
        CancellationToken ct) =>
        access.RevokeAsync(new GrantRequest(principal, role, project, environment), ct).ToApi();
}
