using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using ProductJson = Orchestrator.Workflows.Storage.Json;

namespace Orchestrator.Http.Security;

using static ApiResults;

/// <summary>Governance routes, written once: grants (<c>/api/access</c>), the caller's own access (<c>/api/me</c>), the audit log (<c>/api/audit</c>).</summary>
public sealed class AccessApi(AccessStore store, AuditLog audit, ProjectStore projectStore, TimeProvider clock)
{
    private sealed record GrantRequest(string? Principal, string? Role, string? Project, string? Environment);

    /// <summary><c>GET /api/me</c>: who the server thinks the caller is, and its grants.</summary>
    public static IResult WhoAmI(HttpRequest request)
    {
        var access = AccessGate.Current(request.HttpContext)!;
        return Json(new
        {
            id = access.Caller.Id, access.Caller.IsService, roles = access.Caller.Roles, groups = access.Caller.Groups,
            grants = access.Grants.Select(GrantView),
            permissions = Enum.GetValues<Permission>().Where(p => access.Allows(p, null)).Select(p => p.ToString()),
        });
    }

    private static object GrantView(AccessGrant g) => new { g.Principal, g.Role, g.Project, g.Environment, g.GrantedBy, g.GrantedAt };

    /// <summary><c>GET /api/access?principal=&amp;project=</c>: the stored grants (token roles are the identity provider's).</summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken ct)
    {
        var principal = request.Query["principal"].ToString() is { Length: > 0 } p ? p : null;
        var project = request.Query["project"].ToString() is { Length: > 0 } pr ? pr : null;
        return Json(new { grants = (await store.ListAsync(principal, project, ct)).Select(GrantView) });
    }

    /// <summary><c>POST /api/access</c> <c>{ "principal": "alice@contoso.com" | "group:…" | "app:…", "role", "project": "…" | "*", "environment": "staging" | "production" | "*" }</c>.</summary>
    public async Task<IResult> GrantAsync(HttpRequest request, CancellationToken ct)
    {
        var (grant, error) = await ReadGrantAsync(request, ct);
        if (error is not null) return error;
        if (grant!.Project != AccessGrant.Any && await projectStore.GetProjectAsync(grant.Project, ct) is null) return ProjectNotFound(grant.Project);
        var stored = grant with { GrantedBy = AccessGate.Current(request.HttpContext)!.Caller.Id, GrantedAt = clock.GetUtcNow() };
        var added = await store.GrantAsync(stored, ct);
        AccessGate.SetAuditDetail(request.HttpContext, $"{grant.Principal} {grant.Role} project={grant.Project} environment={grant.Environment}{(added ? "" : " (already granted)")}");
        return Json(new { grant = GrantView(stored), existing = !added }, added ? 201 : 200);
    }

    /// <summary><c>DELETE /api/access?principal=&amp;role=&amp;project=&amp;environment=</c>: 204, or 404 when there was no such grant.</summary>
    public async Task<IResult> RevokeAsync(HttpRequest request, CancellationToken ct)
    {
        var q = request.Query;
        var (grant, error) = Validate(new GrantRequest(q["principal"], q["role"], q["project"], q["environment"]));
        if (error is not null) return error;
        AccessGate.SetAuditDetail(request.HttpContext, $"{grant!.Principal} {grant.Role} project={grant.Project} environment={grant.Environment}");
        return await store.RevokeAsync(grant.Principal, grant.Role, grant.Project, grant.Environment, ct)
            ? Results.NoContent()
            : Problem(404, "Grant not found", $"{grant.Principal} has no {grant.Role} grant for project '{grant.Project}', environment '{grant.Environment}'.");
    }

    private static async Task<(AccessGrant?, IResult?)> ReadGrantAsync(HttpRequest request, CancellationToken ct)
    {
        GrantRequest? body;
        try { body = await JsonSerializer.DeserializeAsync<GrantRequest>(request.Body, ProductJson.Options, ct); }
        catch (JsonException e) { return (null, Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] })); }
        return Validate(body ?? new GrantRequest(null, null, null, null));
    }

    private static (AccessGrant?, IResult?) Validate(GrantRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        var principal = body.Principal?.Trim();
        if (string.IsNullOrEmpty(principal) || principal.Length > 256 || principal.Contains('|'))
            errors["principal"] = ["A user (email or user name), 'group:{name}' or 'app:{id}' is required (at most 256 characters)."];
        var role = Roles.Normalize(body.Role);
        if (role is null) errors["role"] = [$"One of {string.Join(", ", Roles.All)}."];
        var project = string.IsNullOrWhiteSpace(body.Project) ? AccessGrant.Any : body.Project.Trim();
        if (project != AccessGrant.Any && !Names.IsValidName(project)) errors["project"] = ["A project name or '*'."];
        var environment = string.IsNullOrWhiteSpace(body.Environment) ? AccessGrant.Any : body.Environment.Trim();
        if (environment != AccessGrant.Any && !DeploymentEnvironment.All.Contains(environment))
            errors["environment"] = [$"One of {string.Join(", ", DeploymentEnvironment.All)} or '*'."];
        return errors.Count > 0 ? (null, Invalid(errors)) : (new AccessGrant(principal!.ToLowerInvariant(), role!, project, environment), null);
    }

    /// <summary><c>GET /api/audit?target=&amp;actor=&amp;action=&amp;from=&amp;to=&amp;limit=</c>: entries oldest first (default: the last 7 days, 500 entries).</summary>
    public async Task<IResult> QueryAuditAsync(HttpRequest request, CancellationToken ct)
    {
        var q = request.Query;
        var errors = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow();
        DateTimeOffset? Time(string field)
        {
            var text = q[field].ToString();
            if (text.Length == 0) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value;
            errors[field] = ["An ISO 8601 time, e.g. 2026-11-27T10:00:00Z."];
            return null;
        }
        var to = Time("to") ?? now;
        var from = Time("from") ?? to.AddDays(-7);
        var limit = 500;
        if (q["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, out limit) || limit is < 1 or > 5000)) errors["limit"] = ["1 to 5000."];
        if (from > to) errors["from"] = ["Must not be after 'to'."];
        if ((to - from).TotalDays > AuditLog.MaxDays) errors["from"] = [$"At most {AuditLog.MaxDays} days between 'from' and 'to'."];
        var order = q["order"].ToString();
        if (order is not ("" or "newest" or "oldest")) errors["order"] = ["newest (the default: the latest entries first) or oldest."];
        if (errors.Count > 0) return Invalid(errors);
        string? Text(string field) => q[field].ToString() is { Length: > 0 } v ? v : null;
        var entries = await audit.QueryAsync(from, to, Text("target"), Text("actor")?.ToLowerInvariant(), Text("action"), limit, oldestFirst: order == "oldest", ct);
        return Json(new { from, to, entries });
    }
}
