using Microsoft.DurableTask.Client;
using Orchestrator.Http;

namespace Orchestrator.Server;

/// <summary>The API routes of the self-hosted server: one line each, bound to <see cref="LifecycleApi"/>.</summary>
public static class Endpoints
{
    public static IEndpointRouteBuilder MapOrchestratorApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (LifecycleApi api, CancellationToken ct) => api.HealthAsync(ct));
        app.MapPut("/api/projects/{project}", (HttpRequest r, string project, LifecycleApi api, CancellationToken ct) => api.PutProjectAsync(r, project, ct));
        app.MapGet("/api/projects/{project}", (string project, LifecycleApi api, CancellationToken ct) => api.GetProjectAsync(project, ct));
        app.MapGet("/api/datasets", (HttpRequest r, DatasetApi api, CancellationToken ct) => api.SearchAsync(r, ct));
        app.MapGet("/api/datasets/{dataset}", (string dataset, DatasetApi api, CancellationToken ct) => api.FindAsync(dataset, ct));
        app.MapPost("/api/projects/{project}/datasets/{dataset}", (HttpRequest r, string project, string dataset, DatasetApi api, DurableTaskClient c, CancellationToken ct) => api.UploadAsync(r, c, project, dataset, ct));
        app.MapPost("/api/projects/{project}/datasets/{dataset}/ingest", (HttpRequest r, string project, string dataset, DatasetApi api, DurableTaskClient c, CancellationToken ct) => api.IngestFromLandingAsync(r, c, project, dataset, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}", (string project, string dataset, DatasetApi api, CancellationToken ct) => api.GetDatasetAsync(project, dataset, ct));
        app.MapPatch("/api/projects/{project}/datasets/{dataset}", (HttpRequest r, string project, string dataset, DatasetApi api, CancellationToken ct) => api.PatchDatasetAsync(r, project, dataset, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}/versions/{version:int}", (string project, string dataset, int version, DatasetApi api, CancellationToken ct) => api.GetVersionAsync(project, dataset, version, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}/versions/{version:int}/quarantine", (string project, string dataset, int version, DatasetApi api, CancellationToken ct) => api.GetQuarantineAsync(project, dataset, version, ct));
        app.MapGet("/api/projects/{project}/datasets/{dataset}/versions/{version:int}/diff/{other:int}", (string project, string dataset, int version, int other, DatasetApi api, CancellationToken ct) => api.DiffAsync(project, dataset, version, other, ct));
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
        app.MapPost("/api/projects/{project}/monitoring/run", (HttpRequest r, string project, ModelApi api, CancellationToken ct) => api.RunMonitoringAsync(r, project, ct));
        app.MapPost("/api/webhooks", (HttpRequest r, WebhookApi api, CancellationToken ct) => api.CreateAsync(r, ct));
        app.MapGet("/api/webhooks", (HttpRequest r, WebhookApi api, CancellationToken ct) => api.ListAsync(r, ct));
        app.MapGet("/api/webhooks/{id}", (string id, WebhookApi api, CancellationToken ct) => api.GetAsync(id, ct));
        app.MapDelete("/api/webhooks/{id}", (string id, WebhookApi api, CancellationToken ct) => api.DeleteAsync(id, ct));
        app.MapGet("/api/webhooks/{id}/deliveries", (HttpRequest r, string id, WebhookApi api, CancellationToken ct) => api.ListDeliveriesAsync(r, id, ct));
        return app;
    }
}
