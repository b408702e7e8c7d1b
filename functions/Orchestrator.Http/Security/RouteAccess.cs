namespace Orchestrator.Http.Security;

/// <summary>How a route finds the project its permission is checked in.</summary>
public enum AccessScope
{
    /// <summary>No identity needed (health; the approval link, whose signed token is the credential).</summary>
    Anonymous,
    /// <summary>Not tied to one project: any grant of the permission admits; the route filters what it shows.</summary>
    Global,
    /// <summary>The <c>{project}</c> route value.</summary>
    Project,
    /// <summary>The project of the <c>{runId}</c> route value.</summary>
    Run,
    /// <summary>The project of the trial <c>{id}</c> (<c>{runId}.{trialId}</c>).</summary>
    Trial,
    /// <summary>The project of the <c>{approvalId}</c> route value.</summary>
    Approval,
    /// <summary>The project of the webhook subscription <c>{id}</c>.</summary>
    Webhook,
}

/// <summary>
/// One route: its name (the Functions function name), method, route (as the Functions app writes it, under <c>api/</c>),
/// the permission it needs, where its project comes from, and the audit action it records (null: not audited).
/// </summary>
public sealed record RouteRule(string Name, string Method, string Route, Permission? Permission, AccessScope Scope, string? Audit = null)
{
    /// <summary>The template the self-hosted server maps (health sits at the root there).</summary>
    public string ServerTemplate => Name == "Health" ? "/" + Route : "/api/" + Route;
}

/// <summary>
/// Every route of the API and what it needs — the one place permissions are declared. Both hosts look a request's
/// route up here (the server by method and template, the Functions app by function name) and pass it to
/// <see cref="AccessGate"/>; a test checks every endpoint and function has its rule and calls each as every role.
/// </summary>
public static class RouteAccess
{
    public static readonly IReadOnlyList<RouteRule> Rules =
    [
        new("Health", "GET", "healthz", null, AccessScope.Anonymous),
        new("PutProject", "PUT", "projects/{project}", Permission.ProjectWrite, AccessScope.Project, "project.put"),
        new("GetProject", "GET", "projects/{project}", Permission.Read, AccessScope.Project),
        new("SearchDatasets", "GET", "datasets", Permission.Read, AccessScope.Global),
        new("FindDataset", "GET", "datasets/{dataset}", Permission.Read, AccessScope.Global),
        new("UploadDataset", "POST", "projects/{project}/datasets/{dataset}", Permission.DatasetIngest, AccessScope.Project, "dataset.ingest"),
        new("IngestFromLanding", "POST", "projects/{project}/datasets/{dataset}/ingest", Permission.DatasetIngest, AccessScope.Project, "dataset.ingest"),
        new("GetDataset", "GET", "projects/{project}/datasets/{dataset}", Permission.Read, AccessScope.Project),
        new("PatchDataset", "PATCH", "projects/{project}/datasets/{dataset}", Permission.DatasetEdit, AccessScope.Project, "dataset.update"),
        new("GetDatasetVersion", "GET", "projects/{project}/datasets/{dataset}/versions/{version:int}", Permission.Read, AccessScope.Project),
        new("GetDatasetQuarantine", "GET", "projects/{project}/datasets/{dataset}/versions/{version:int}/quarantine", Permission.Read, AccessScope.Project),
        new("DiffDatasetVersions", "GET", "projects/{project}/datasets/{dataset}/versions/{version:int}/diff/{other:int}", Permission.Read, AccessScope.Project),
        new("StartRun", "POST", "projects/{project}/runs", Permission.RunStart, AccessScope.Project, "run.start"),
        new("ListRuns", "GET", "projects/{project}/runs", Permission.Read, AccessScope.Project),
        new("GetRun", "GET", "runs/{runId}", Permission.Read, AccessScope.Run),
        new("Rerun", "POST", "runs/{runId}/rerun", Permission.RunStart, AccessScope.Run, "run.rerun"),
        new("ListTrials", "GET", "runs/{runId}/trials", Permission.Read, AccessScope.Run),
        new("GetModelCard", "GET", "runs/{runId}/model-card", Permission.Read, AccessScope.Run),
        new("GetTrial", "GET", "trials/{id}", Permission.Read, AccessScope.Trial),
        new("ListApprovals", "GET", "approvals", Permission.Read, AccessScope.Global),
        new("GetApprovalPage", "GET", "approvals/{approvalId}", null, AccessScope.Anonymous),
        new("DecideApproval", "POST", "approvals/{approvalId}", null, AccessScope.Anonymous, "approval.decide"),
        new("ResendApproval", "POST", "approvals/{approvalId}/resend", Permission.ApprovalManage, AccessScope.Approval, "approval.resend"),
        new("CancelApproval", "POST", "approvals/{approvalId}/cancel", Permission.ApprovalManage, AccessScope.Approval, "run.cancel"),
        new("ListModels", "GET", "projects/{project}/models", Permission.Read, AccessScope.Project),
        new("PromoteModel", "POST", "projects/{project}/models/{version:int}/promote", Permission.Promote, AccessScope.Project, "model.promote"),
        new("RollbackModel", "POST", "projects/{project}/models/rollback", Permission.Rollback, AccessScope.Project, "model.rollback"),
        new("Predict", "POST", "projects/{project}/predict", Permission.Predict, AccessScope.Project),
        new("Feedback", "POST", "projects/{project}/feedback", Permission.Predict, AccessScope.Project),
        new("GetMonitoring", "GET", "projects/{project}/monitoring", Permission.Read, AccessScope.Project),
        new("PutMonitoringSettings", "PUT", "projects/{project}/monitoring/settings", Permission.Operate, AccessScope.Project, "monitoring.settings"),
        new("RunMonitoring", "POST", "projects/{project}/monitoring/run", Permission.Operate, AccessScope.Project, "monitoring.run"),
        new("ListGrants", "GET", "access", Permission.AccessAdmin, AccessScope.Global),
        new("AddGrant", "POST", "access", Permission.AccessAdmin, AccessScope.Global, "access.grant"),
        new("RevokeGrant", "DELETE", "access", Permission.AccessAdmin, AccessScope.Global, "access.revoke"),
        new("CreateWebhook", "POST", "webhooks", Permission.Operate, AccessScope.Global, "webhook.create"),
        new("ListWebhooks", "GET", "webhooks", Permission.Operate, AccessScope.Global),
        new("GetWebhook", "GET", "webhooks/{id}", Permission.Operate, AccessScope.Webhook),
        new("DeleteWebhook", "DELETE", "webhooks/{id}", Permission.Operate, AccessScope.Webhook, "webhook.delete"),
        new("ListWebhookDeliveries", "GET", "webhooks/{id}/deliveries", Permission.Operate, AccessScope.Webhook),
        new("GetLineage", "GET", "lineage/{kind}/{*id}", Permission.Read, AccessScope.Global),
        new("WhoAmI", "GET", "me", null, AccessScope.Global),
        new("GetAudit", "GET", "audit", Permission.AuditRead, AccessScope.Global),
    ];

    private static readonly Dictionary<string, RouteRule> ByName = Rules.ToDictionary(r => r.Name);
    private static readonly Dictionary<(string, string), RouteRule> ByTemplate = Rules.ToDictionary(r => (r.Method, r.ServerTemplate));

    /// <summary>The rule of a Functions function.</summary>
    public static RouteRule? ForFunction(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The rule of a server endpoint (method and route template as mapped).</summary>
    public static RouteRule? ForEndpoint(string method, string template) => ByTemplate.GetValueOrDefault((method.ToUpperInvariant(), template));
}
