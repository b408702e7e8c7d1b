using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Api;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Http.Security;

/// <summary>
/// What the caller of this request may do: its identity and its grants (token roles count everywhere). Routes that
/// scope further — promotion per environment, restricted datasets, lists across projects — ask it.
/// </summary>
public sealed class AccessContext(Caller caller, IReadOnlyList<AccessGrant> grants)
{
    public Caller Caller => caller;

    /// <summary>The grants: token roles (every project and environment) and stored grants of the caller and its groups.</summary>
    public IReadOnlyList<AccessGrant> Grants => grants;

    /// <summary>True when a grant gives <paramref name="permission"/> in <paramref name="project"/> (null: some project) and <paramref name="environment"/> (null: some).</summary>
    public bool Allows(Permission permission, string? project, string? environment = null) => RoleFor(permission, project, environment) is not null;

    /// <summary>True when a grant of every project gives <paramref name="permission"/> (in some environment).</summary>
    public bool AllowsEverywhere(Permission permission) =>
        grants.Any(g => g.Project == AccessGrant.Any && RolePermissions.Grants(g.Role, permission, caller.IsService));

    /// <summary>The role that gives the permission there (for the audit log), or null.</summary>
    public string? RoleFor(Permission permission, string? project, string? environment = null) =>
        grants.FirstOrDefault(g => g.Covers(project, environment) && RolePermissions.Grants(g.Role, permission, caller.IsService))?.Role;

    /// <summary>True for administrators (every project, every environment).</summary>
    public bool IsAdmin => grants.Any(g => g.Role == Roles.Admin && g.Project == AccessGrant.Any);

    /// <summary>True for an administrator of this project (or of every project).</summary>
    public bool IsAdminOf(string project) => grants.Any(g => g.Role == Roles.Admin && g.Covers(project, null));

    /// <summary>
    /// True when the caller may see a dataset's rows and statistics: it is not restricted, or the caller is named in it
    /// (its id), is in a group it names (<c>group:{name}</c>), owns it, or administers every project. A user id never
    /// matches a group entry nor a group a user entry, so no one gets in by taking a group's name as their id.
    /// </summary>
    public bool CanReadData(DatasetInfo? dataset)
    {
        if (dataset?.RestrictedTo is not { Count: > 0 } allowed || IsAdmin || IsOwner(dataset)) return true;
        return allowed.Any(entry => entry.StartsWith(GroupPrefix, StringComparison.OrdinalIgnoreCase)
            ? caller.Groups.Contains(entry[GroupPrefix.Length..], StringComparer.OrdinalIgnoreCase)
            : string.Equals(entry, caller.Id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when the caller is the dataset's owner (as recorded in its catalog entry).</summary>
    public bool IsOwner(DatasetInfo? dataset) => dataset?.Owner is { } owner && string.Equals(owner.Trim(), caller.Id, StringComparison.OrdinalIgnoreCase);

    /// <summary>How a restriction or a grant names a group.</summary>
    public const string GroupPrefix = "group:";
}

/// <summary>
/// The one authorization code path of both hosts: resolves the caller, finds the route's project, checks the route's
/// permission against the caller's grants, and registers the audit entry written when the response completes.
/// The server calls it from an endpoint filter, the Functions app from a worker middleware.
/// </summary>
public sealed class AccessGate(AccessStore grants, AuditLog audit, RunStore runStore, ApprovalStore approvalStore, WebhookStore webhooks,
    DatasetStore datasetStore, IOptions<AuthOptions> options, TimeProvider clock, ILogger<AccessGate> logger)
{
    private const string AccessKey = "orchestrator.access";
    private const string ActorKey = "orchestrator.audit.actor";
    private const string DetailKey = "orchestrator.audit.detail";

    /// <summary>The audit action of a refused call to a route that is not audited otherwise (a read).</summary>
    public const string DeniedAction = "access.denied";

    /// <summary>Where a host's authentication handler leaves why it refused the presented token (for the audit log).</summary>
    public const string AuthenticationFailureKey = "orchestrator.auth.failure";

    /// <summary>The access of the current request (null on anonymous routes).</summary>
    public static AccessContext? Current(HttpContext context) => context.Items[AccessKey] as AccessContext;

    /// <summary>Names who acted when the route is anonymous (the approver of a link).</summary>
    public static void SetAuditActor(HttpContext context, string actor) => context.Items[ActorKey] = actor;

    /// <summary>Adds a detail to the request's audit entry (what was created, why it was refused).</summary>
    public static void SetAuditDetail(HttpContext context, string detail) => context.Items[DetailKey] = detail;

    /// <summary>Null when the request may go on; otherwise the 401/403 problem to answer with.</summary>
    public async Task<IResult?> AuthorizeAsync(HttpContext context, ApiRoute? rule, Func<string, string?> routeValue, CancellationToken ct = default)
    {
        if (rule is null)
            // Fail closed: a route without a declared permission is a bug, not an open door.
            return OutcomeResults.Problem(403, "Forbidden", "This route declares no permission.");
        var caller = CallerResolver.Resolve(context, options.Value);
        string? project = null;
        // Audited routes record every outcome; the others (reads) record their refusals, so probing shows in the log.
        context.Response.OnCompleted(() => rule.Audit is not null || context.Response.StatusCode == StatusCodes.Status403Forbidden
            ? WriteAuditAsync(context, rule, project) : Task.CompletedTask);
        if (rule.Scope == AccessScope.Anonymous) return null;

        if (caller is null)
        {
            if (PresentedCredentials(context) is { } reason) await LoginFailedAsync(context, reason);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return OutcomeResults.Problem(401, "Unauthorized", "Sign in: send a bearer token (Authorization: Bearer …) from the configured identity provider.");
        }
        var access = new AccessContext(caller, await GrantsOfAsync(caller, ct));
        context.Items[AccessKey] = access;
        RunInfo? run;
        (project, run) = await TargetOfAsync(rule.Scope, routeValue, ct);
        if (rule.Permission is not { } permission) return null;
        // Grants and the audit log span every project: a role granted in one project does not reach them.
        var scope = permission is Permission.AccessAdmin or Permission.AuditRead ? AccessGrant.Any : project;
        if (access.Allows(permission, scope)) return await RestrictedDataAsync(context, rule, access, routeValue, run, ct);

        var detail = caller.IsService && access.Grants.Any(g => g.Covers(project, null) && RolePermissions.Grants(g.Role, permission))
            ? $"Service principals with these roles may not use this route (a data-engineering service identity only ingests)."
            : Lacks(caller.Id, permission, project, null);
        SetAuditDetail(context, detail);
        return OutcomeResults.Problem(403, "Forbidden", detail);
    }

    /// <summary>Why <paramref name="caller"/> is refused: the permission it lacks, where, and the roles that grant it.</summary>
    public static string Lacks(string caller, Permission permission, string? project, string? environment)
    {
        var where = (project, environment) switch
        {
            (null, _) => "",
            (_, null) => $" in project '{project}'",
            _ => $" in the {environment} environment of project '{project}'",
        };
        return $"{caller} lacks '{permission}'{where}: it needs one of the roles {string.Join(", ", RolePermissions.RolesGranting(permission))}{(project is null ? "" : " there")}.";
    }

    /// <summary>The caller's grants: its token roles everywhere, plus stored grants to it and its groups.</summary>
    public async Task<IReadOnlyList<AccessGrant>> GrantsOfAsync(Caller caller, CancellationToken ct = default) =>
        caller.Roles.Select(r => new AccessGrant(caller.Id, r, AccessGrant.Any, AccessGrant.Any, "token"))
            .Concat(await grants.GrantsForAsync(caller.Principals, ct)).ToList();

    /// <summary>
    /// 403 when the route reveals a restricted dataset's data the caller may not read: the route's own
    /// <c>{project}/{dataset}</c>, or the dataset a run-scoped route's run trained on. Lists and project-wide views
    /// (runs, approvals, models, monitoring, lineage) leave out what the caller may not read themselves.
    /// </summary>
    private async Task<IResult?> RestrictedDataAsync(HttpContext context, ApiRoute rule, AccessContext access, Func<string, string?> routeValue, RunInfo? run,
        CancellationToken ct)
    {
        var (project, dataset) = rule.Data switch
        {
            DataScope.RouteDataset => (routeValue("project"), routeValue("dataset")),
            DataScope.Derived or DataScope.NamedDataset when run is not null => (run.Project, run.Dataset),
            _ => (null, null),
        };
        if (project is null || dataset is null || !Names.IsValidName(project) || !Names.IsValidName(dataset)) return null;
        if (await datasetStore.GetDatasetAsync(project, dataset, ct) is not { } info || access.CanReadData(info)) return null;
        var refusal = DataRights.Refusal(info);
        SetAuditDetail(context, refusal.Detail);
        return OutcomeResults.Problem(refusal);
    }

    /// <summary>The project the route's scope names, and the run when it names one (for its dataset's restriction).</summary>
    private async Task<(string? Project, RunInfo? Run)> TargetOfAsync(AccessScope scope, Func<string, string?> routeValue, CancellationToken ct)
    {
        switch (scope)
        {
            case AccessScope.Project:
                return (routeValue("project"), null);
            case AccessScope.Run:
                var run = routeValue("runId") is { } runId && Names.IsValidId(runId) ? await runStore.GetRunAsync(runId, ct) : null;
                return (run?.Project, run);
            case AccessScope.Trial:
                var id = routeValue("id") ?? "";
                var dot = id.LastIndexOf('.');
                var trialRun = dot > 0 && Names.IsValidId(id[..dot]) ? await runStore.GetRunAsync(id[..dot], ct) : null;
                return (trialRun?.Project, trialRun);
            case AccessScope.Approval:
                return (routeValue("approvalId") is { } approvalId && Names.IsValidId(approvalId)
                    ? (await approvalStore.GetApprovalAsync(approvalId, ct))?.Approval.Project : null, null);
            case AccessScope.Webhook:
                return (routeValue("id") is { Length: > 0 and <= 64 } webhookId ? (await webhooks.GetSubscriptionAsync(webhookId, ct))?.Project : null, null);
            default:
                return (null, null);
        }
    }

    /// <summary>Why presented credentials were not accepted, or null when the request carried none.</summary>
    private string? PresentedCredentials(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0)
            return context.Items[AuthenticationFailureKey] as string ?? "The bearer token was not accepted.";
        if (context.Request.Headers.ContainsKey(CallerResolver.AppServicePrincipalHeader))
            return options.Value.AppServiceAuthentication ? "The App Service principal header is malformed." : "App Service authentication is not enabled for this app (Auth:AppServiceAuthentication).";
        return null;
    }

    private async Task LoginFailedAsync(HttpContext context, string reason)
    {
        try
        {
            await audit.CountLoginFailureAsync(new AuditEntry("", clock.GetUtcNow(), "anonymous", null, "login.failed", Target(context), null, "denied", 401,
                CorrelationId(context), ClientIp(context), reason));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not write the audit entry of a failed login");
        }
    }

    private async Task WriteAuditAsync(HttpContext context, ApiRoute rule, string? project)
    {
        var status = context.Response.StatusCode;
        if (status == 401) return; // recorded as login.failed when credentials were presented; nobody to name otherwise
        var access = Current(context);
        var actor = context.Items[ActorKey] as string ?? access?.Caller.Id ?? "anonymous";
        var outcome = status switch { < 400 => "succeeded", 403 => "denied", < 500 => "rejected", _ => "failed" };
        try
        {
            await audit.AppendAsync(new AuditEntry("", clock.GetUtcNow(), actor, rule.Permission is { } p ? access?.RoleFor(p, project) : null, rule.Audit ?? DeniedAction,
                Target(context), project, outcome, status, CorrelationId(context), ClientIp(context), context.Items[DetailKey] as string));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not write the audit entry of {Action} by {Actor} ({Status})", rule.Audit, actor, status);
        }
    }

    /// <summary>The request path under <c>/api/</c>: <c>projects/weather/models/3/promote</c>.</summary>
    private static string Target(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        return path.StartsWith("/api/", StringComparison.Ordinal) ? path[5..] : path.TrimStart('/');
    }

    /// <summary>The caller's <c>X-Correlation-Id</c>, else the W3C trace id, else the request id.</summary>
    private static string CorrelationId(HttpContext context) =>
        context.Request.Headers["X-Correlation-Id"].ToString() is { Length: > 0 and <= 128 } given ? given
        : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    private string? ClientIp(HttpContext context) =>
        options.Value.AppServiceAuthentication && context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded
            ? ForwardedClient(forwarded)
            : context.Connection.RemoteIpAddress?.ToString();

    /// <summary>
    /// The client address App Service's front end appended to <c>X-Forwarded-For</c>: the last entry (the ones before
    /// it are the caller's to invent), without the port the front end adds (<c>203.0.113.5:50122</c>, <c>[2001:db8::1]:443</c>).
    /// </summary>
    public static string ForwardedClient(string forwarded)
    {
        var last = forwarded.Split(',')[^1].Trim();
        if (System.Net.IPEndPoint.TryParse(last, out var endpoint)) return endpoint.Address.ToString();
        return last;
    }
}
