using Microsoft.DurableTask.Client;
using Orchestrator.Http;
using Orchestrator.Http.Security;

namespace Orchestrator.Server;

/// <summary>
/// The API routes of the self-hosted server: one line each, bound to the shared API classes. Every route passes the
/// access gate first (<see cref="AccessFilter"/>): its permission is declared once, in <see cref="RouteAccess"/>.
/// </summary>
public static class Endpoints
{
    public static IEndpointRouteBuilder MapOrchestratorApi(this IEndpointRouteBuilder root)
    {
        var app = root.MapGroup("").AddEndpointFilter<AccessFilter>();
        app.MapGet("/healthz", (LifecycleApi api, CancellationToken ct) => api.HealthAsync(ct));
        app.MapPut("/api/projects/{project}", (HttpRequest r, string project, LifecycleApi api, CancellationToken ct) => api.PutProjectAsync(r, project, ct));
        app.MapGet("/api/projects/{project}", (string project, LifecycleApi api, CancellationToken ct) => api.GetProjectAsync(project, ct));
        app.MapGet("/api/datasets", (HttpRequest r, DatasetApi api, CancellationToken ct) => api.SearchAsync(r, ct));
        app.MapGet("/api/datasets/{dataset}", (HttpRequest r, string dataset, DatasetApi api, CancellationToken ct) => api.FindAsync(r, dataset, ct));
        app.MapPost("/api/projects/{project}/datasets/{dataset}", (HttpRequest r, string project, string dataset, DatasetApi api, DurableTaskClient c, CancellationToken ct) => api.UploadAsync(r, c, project, dataset, ct));
        app.MapPost("/api/projects/{project}/datasets/{dataset}/ingest", (HttpRequest r, string project, string dataset, DatasetApi api, DurableTaskClient c, CancellationToken ct) => api.IngestFromLandingAsync(r, c, project, dataset, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}", (HttpRequest r, string project, string dataset, DatasetApi api, CancellationToken ct) => api.GetDatasetAsync(r, project, dataset, ct));
        app.MapPatch("/api/projects/{project}/datasets/{dataset}", (HttpRequest r, string project, string dataset, DatasetApi api, CancellationToken ct) => api.PatchDatasetAsync(r, project, dataset, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}/versions/{version:int}", (HttpRequest r, string project, string dataset, int version, DatasetApi api, CancellationToken ct) => api.GetVersionAsync(r, project, dataset, version, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}/versions/{version:int}/quarantine", (HttpRequest r, string project, string dataset, int version, DatasetApi api, CancellationToken ct) => api.GetQuarantineAsync(r, project, dataset, version, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}/versions/{version:int}/diff/{other:int}", (HttpRequest r, string project, string dataset, int version, int other, DatasetApi api, CancellationToken ct) => api.DiffAsync(r, project, dataset, version, other, ct));
        app.MapPost("/api/projects/{project}/runs", (HttpRequest r, string project, LifecycleApi api, DurableTaskClient c, CancellationToken ct) => api.StartRunAsync(r, c, project, ct));
        app.MapGet("/api/projects/{project}/runs", (string project, LifecycleApi api, CancellationToken ct) => api.ListRunsAsync(project, ct));
        app.MapGet("/api/runs/{runId}", (string runId, LifecycleApi api, CancellationToken ct) => api.GetRunAsync(runId, ct));
        app.MapPost("/api/runs/{runId}/rerun", (HttpRequest r, string runId, LifecycleApi api, DurableTaskClient c, CancellationToken ct) => api.RerunAsync(r, c, runId, ct));
        app.MapGet("/api/runs/{runId}/trials", (HttpRequest r, string runId, LifecycleApi api, CancellationToken ct) => api.ListTrialsAsync(r, runId, ct));
        app.MapGet("/api/runs/{runId}/model-card", (string runId, LifecycleApi api, CancellationToken ct) => api.GetModelCardAsync(runId, ct));
        app.MapGet("/api/trials/{id}", (string id, LifecycleApi api, CancellationToken ct) => api.GetTrialAsync(id, ct));
        app.MapGet("/api/approvals", (HttpRequest r, LifecycleApi api, CancellationToken ct) => api.ListApprovalsAsync(r, ct));
        app.MapGet("/api/approvals/{approvalId}", (HttpRequest r, string approvalId, LifecycleApi api, CancellationToken ct) => api.GetApprovalPageAsync(r, approvalId, ct));
        app.MapPost("/api/approvals/{approvalId}", (HttpRequest r, string approvalId, LifecycleApi api, DurableTaskClient c, CancellationToken ct) => api.DecideApprovalAsync(r, c, approvalId, ct));
        app.MapPost("/api/approvals/{approvalId}/resend", (string approvalId, LifecycleApi api, CancellationToken ct) => api.ResendApprovalAsync(approvalId, ct));
        app.MapPost("/api/approvals/{approvalId}/cancel", (HttpRequest r, string approvalId, LifecycleApi api, DurableTaskClient c, CancellationToken ct) => api.CancelApprovalAsync(r, c, approvalId, ct));
        app.MapGet("/api/projects/{project}/models", (string project, ModelApi api, CancellationToken ct) => api.ListModelsAsync(project, ct));
        app.MapPost("/api/projects/{project}/models/{version:int}/promote", (HttpRequest r, string project, int version, ModelApi api, DurableTaskClient c, CancellationToken ct) => api.PromoteAsync(r, c, project, version, ct));
        app.MapPost("/api/projects/{project}/models/rollback", (HttpRequest r, string project, ModelApi api, DurableTaskClient c, CancellationToken ct) => api.RollbackAsync(r, c, project, ct));
        app.MapPost("/api/projects/{project}/predict", (HttpRequest r, string project, ModelApi api, CancellationToken ct) => api.PredictAsync(r, project, ct));
        app.MapPost("/api/projects/{project}/feedback", (HttpRequest r, string project, ModelApi api, CancellationToken ct) => api.FeedbackAsync(r, project, ct));
        app.MapGet("/api/projects/{project}/monitoring", (HttpRequest r, string project, ModelApi api, CancellationToken ct) => api.GetMonitoringAsync(r, project, ct));
        app.MapPut("/api/projects/{project}/monitoring/settings", (HttpRequest r, string project, ModelApi api, DurableTaskClient c, CancellationToken ct) => api.PutMonitoringSettingsAsync(r, c, project, ct));
        app.MapPost("/api/projects/{project}/monitoring/run", (HttpRequest r, string project, ModelApi api, CancellationToken ct) => api.RunMonitoringAsync(r, project, ct));
        app.MapGet("/api/lineage/{kind}/{*id}", (HttpRequest r, string kind, string? id, LineageApi api, CancellationToken ct) => api.GetAsync(r, kind, id, ct));
        app.MapPost("/api/webhooks", (HttpRequest r, WebhookApi api, CancellationToken ct) => api.CreateAsync(r, ct));
        app.MapGet("/api/webhooks", (HttpRequest r, WebhookApi api, CancellationToken ct) => api.ListAsync(r, ct));
        app.MapGet("/api/webhooks/{id}", (string id, WebhookApi api, CancellationToken ct) => api.GetAsync(id, ct));
        app.MapDelete("/api/webhooks/{id}", (string id, WebhookApi api, CancellationToken ct) => api.DeleteAsync(id, ct));
        app.MapGet("/api/webhooks/{id}/deliveries", (HttpRequest r, string id, WebhookApi api, CancellationToken ct) => api.ListDeliveriesAsync(r, id, ct));
        app.MapGet("/api/me", (HttpRequest r, AccessApi api) => api.WhoAmI(r));
        app.MapGet("/api/access", (HttpRequest r, AccessApi api, CancellationToken ct) => api.ListAsync(r, ct));
        app.MapPost("/api/access", (HttpRequest r, AccessApi api, CancellationToken ct) => api.GrantAsync(r, ct));
        app.MapDelete("/api/access", (HttpRequest r, AccessApi api, CancellationToken ct) => api.RevokeAsync(r, ct));
        app.MapGet("/api/audit", (HttpRequest r, AccessApi api, CancellationToken ct) => api.QueryAuditAsync(r, ct));
        return root;
    }
}

/// <summary>Runs <see cref="AccessGate"/> before every endpoint, with the rule of the endpoint's method and route template.</summary>
public sealed class AccessFilter(AccessGate gate) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        var rule = RouteAccess.ForEndpoint(http.Request.Method, template);
        var denied = await gate.AuthorizeAsync(http, rule, key => http.Request.RouteValues[key]?.ToString(), http.RequestAborted);
        return denied ?? await next(context);
    }
}
