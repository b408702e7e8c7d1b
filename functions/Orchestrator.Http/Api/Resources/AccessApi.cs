using Microsoft.AspNetCore.Http;
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
        new(nameof(ListGrants), "GET", AccessRoute, ListGrants) { Permission = Security.Permission.AccessAdmin, Summary = "List stored grants" },
        new(nameof(AddGrant), "POST", AccessRoute, AddGrant)
        {
            Permission = Security.Permission.AccessAdmin, Audit = "access.grant", Summary = "Grant a role", Success = [201], Problems = [400],
        },
        new(nameof(RevokeGrant), "DELETE", AccessRoute, RevokeGrant)
        {
            Permission = Security.Permission.AccessAdmin, Audit = "access.revoke", Summary = "Revoke a grant", Problems = [400, 404],
        },
    ]);

    public static IResult WhoAmI(HttpRequest r) => Security.AccessApi.WhoAmI(r);

    public static Task<IResult> ListGrants(HttpRequest r, Security.AccessApi api, CancellationToken ct) => api.ListAsync(r, ct);

    public static Task<IResult> AddGrant(HttpRequest r, Security.AccessApi api, CancellationToken ct) => api.GrantAsync(r, ct);

    public static Task<IResult> RevokeGrant(HttpRequest r, Security.AccessApi api, CancellationToken ct) => api.RevokeAsync(r, ct);
}
