using Orchestrator.Http.Application.Audit;
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

    public static Task<ApiResult<AuditView>> GetAudit(string? target, string? actor, string? action, string? from, string? to, string? limit,
        string? order, AuditQueries audit, CancellationToken ct) =>
        audit.QueryAsync(target, actor, action, from, to, limit, order, ct).ToApi();
}
