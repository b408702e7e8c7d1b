using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>The append-only audit log.</summary>
public static class AuditApi
{
    public const string AuditRoute = "audit";

    public static readonly ApiResource Resource = new("Audit", "The append-only audit log: who did what, where, with which outcome.",
    [
        new(nameof(GetAudit), "GET", AuditRoute, GetAudit)
        {
            Permission = Permission.AuditRead, Summary = "Query the audit log by target, actor, action and time", Problems = [400],
        },
    ]);

    public static Task<IResult> GetAudit(HttpRequest r, Security.AccessApi api, CancellationToken ct) => api.QueryAuditAsync(r, ct);
}
