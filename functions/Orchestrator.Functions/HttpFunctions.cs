using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http;
using Orchestrator.Http.Security;

namespace Orchestrator.Functions;

/// <summary>
/// The HTTP API: one function per route of the self-hosted server (<c>Orchestrator.Server/Endpoints.cs</c>), each bound
/// to the same <see cref="LifecycleApi"/>, <see cref="DatasetApi"/>, <see cref="ModelApi"/> <see cref="LineageApi"/>, <see cref="WebhookApi"/> or <see cref="AccessApi"/> method. Routes sit under the host's <c>api/</c> prefix, so
/// <c>Route = "projects/{project}"</c> is <c>/api/projects/{project}</c>. The one difference: health is
/// <c>/api/healthz</c> here (the server has <c>/healthz</c>) because host.json keeps the default prefix.
/// Every function is anonymous to the Functions host: App Service authentication (Entra ID) signs the caller in, and
/// <see cref="AccessMiddleware"/> checks each route's permission from <see cref="Orchestrator.Http.Security.RouteAccess"/>
/// — health and the approval link (whose signed token is the credential) need none.
/// </summary>
public sealed class HttpFunctions(LifecycleApi api, DatasetApi datasets, ModelApi models, LineageApi lineage, WebhookApi webhooks, AccessApi access)
{
    [Function("Health")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest req, CancellationToken ct) =>
        api.HealthAsync(ct).ToActionResult();

    [Function("PutProject")]
    public Task<IActionResult> PutProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "projects/{project}")] HttpRequest req, string project, CancellationToken ct) =>
        api.PutProjectAsync(req, project, ct).ToActionResult();

    [Function("GetProject")]
    public Task<IActionResult> GetProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}")] HttpRequest req, string project, CancellationToken ct) =>
        api.GetProjectAsync(project, ct).ToActionResult();

    [Function("SearchDatasets")]
    public Task<IActionResult> SearchDatasets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets")] HttpRequest req, CancellationToken ct) =>
        datasets.SearchAsync(req, ct).ToActionResult();

    [Function("FindDataset")]
    public Task<IActionResult> FindDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{dataset}")] HttpRequest req, string dataset, CancellationToken ct) =>
        datasets.FindAsync(req, dataset, ct).ToActionResult();

    [Function("UploadDataset")]
    public Task<IActionResult> UploadDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/datasets/{dataset}")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, string dataset, CancellationToken ct) =>
        datasets.UploadAsync(req, client, project, dataset, ct).ToActionResult();

    [Function("IngestFromLanding")]
    public Task<IActionResult> IngestFromLanding(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/datasets/{dataset}/ingest")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, string dataset, CancellationToken ct) =>
        datasets.IngestFromLandingAsync(req, client, project, dataset, ct).ToActionResult();

    [Function("GetDataset")]
    public Task<IActionResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}/datasets/{dataset}")] HttpRequest req,
        string project, string dataset, CancellationToken ct) =>
        datasets.GetDatasetAsync(req, project, dataset, ct).ToActionResult();

    [Function("PatchDataset")]
    public Task<IActionResult> PatchDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "projects/{project}/datasets/{dataset}")] HttpRequest req,
        string project, string dataset, CancellationToken ct) =>
        datasets.PatchDatasetAsync(req, project, dataset, ct).ToActionResult();

    [Function("GetDatasetVersion")]
    public Task<IActionResult> GetDatasetVersion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}/datasets/{dataset}/versions/{version:int}")] HttpRequest req,
        string project, string dataset, int version, CancellationToken ct) =>
        datasets.GetVersionAsync(req, project, dataset, version, ct).ToActionResult();

    [Function("GetDatasetQuarantine")]
    public Task<IActionResult> GetDatasetQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}/datasets/{dataset}/versions/{version:int}/quarantine")] HttpRequest req,
        string project, string dataset, int version, CancellationToken ct) =>
        datasets.GetQuarantineAsync(req, project, dataset, version, ct).ToActionResult();

    [Function("DiffDatasetVersions")]
    public Task<IActionResult> DiffDatasetVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}/datasets/{dataset}/versions/{version:int}/diff/{other:int}")] HttpRequest req,
        string project, string dataset, int version, int other, CancellationToken ct) =>
        datasets.DiffAsync(req, project, dataset, version, other, ct).ToActionResult();

    [Function("StartRun")]
    public Task<IActionResult> StartRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/runs")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, CancellationToken ct) =>
        api.StartRunAsync(req, client, project, ct).ToActionResult();

    [Function("ListRuns")]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}/runs")] HttpRequest req, string project, CancellationToken ct) =>
        api.ListRunsAsync(project, ct).ToActionResult();

    [Function("GetRun")]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "runs/{runId}")] HttpRequest req, string runId, CancellationToken ct) =>
        api.GetRunAsync(runId, ct).ToActionResult();

    [Function("Rerun")]
    public Task<IActionResult> Rerun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "runs/{runId}/rerun")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string runId, CancellationToken ct) =>
        api.RerunAsync(req, client, runId, ct).ToActionResult();

    [Function("ListTrials")]
    public Task<IActionResult> ListTrials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "runs/{runId}/trials")] HttpRequest req, string runId, CancellationToken ct) =>
        api.ListTrialsAsync(req, runId, ct).ToActionResult();

    [Function("GetModelCard")]
    public Task<IActionResult> GetModelCard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "runs/{runId}/model-card")] HttpRequest req, string runId, CancellationToken ct) =>
        api.GetModelCardAsync(runId, ct).ToActionResult();

    [Function("GetTrial")]
    public Task<IActionResult> GetTrial(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "trials/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        api.GetTrialAsync(id, ct).ToActionResult();

    [Function("ListApprovals")]
    public Task<IActionResult> ListApprovals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "approvals")] HttpRequest req, CancellationToken ct) =>
        api.ListApprovalsAsync(req, ct).ToActionResult();

    [Function("GetApprovalPage")]
    public Task<IActionResult> GetApprovalPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "approvals/{approvalId}")] HttpRequest req, string approvalId, CancellationToken ct) =>
        api.GetApprovalPageAsync(req, approvalId, ct).ToActionResult();

    [Function("DecideApproval")]
    public Task<IActionResult> DecideApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "approvals/{approvalId}")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string approvalId, CancellationToken ct) =>
        api.DecideApprovalAsync(req, client, approvalId, ct).ToActionResult();

    [Function("ResendApproval")]
    public Task<IActionResult> ResendApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "approvals/{approvalId}/resend")] HttpRequest req, string approvalId, CancellationToken ct) =>
        api.ResendApprovalAsync(approvalId, ct).ToActionResult();

    [Function("CancelApproval")]
    public Task<IActionResult> CancelApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "approvals/{approvalId}/cancel")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string approvalId, CancellationToken ct) =>
        api.CancelApprovalAsync(req, client, approvalId, ct).ToActionResult();

    [Function("ListModels")]
    public Task<IActionResult> ListModels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}/models")] HttpRequest req, string project, CancellationToken ct) =>
        models.ListModelsAsync(project, ct).ToActionResult();

    [Function("PromoteModel")]
    public Task<IActionResult> PromoteModel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/models/{version:int}/promote")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, int version, CancellationToken ct) =>
        models.PromoteAsync(req, client, project, version, ct).ToActionResult();

    [Function("RollbackModel")]
    public Task<IActionResult> RollbackModel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/models/rollback")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, CancellationToken ct) =>
        models.RollbackAsync(req, client, project, ct).ToActionResult();

    [Function("Predict")]
    public Task<IActionResult> Predict(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/predict")] HttpRequest req, string project, CancellationToken ct) =>
        models.PredictAsync(req, project, ct).ToActionResult();

    [Function("Feedback")]
    public Task<IActionResult> Feedback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/feedback")] HttpRequest req, string project, CancellationToken ct) =>
        models.FeedbackAsync(req, project, ct).ToActionResult();

    [Function("GetMonitoring")]
    public Task<IActionResult> GetMonitoring(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "projects/{project}/monitoring")] HttpRequest req, string project, CancellationToken ct) =>
        models.GetMonitoringAsync(req, project, ct).ToActionResult();

    [Function("PutMonitoringSettings")]
    public Task<IActionResult> PutMonitoringSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "projects/{project}/monitoring/settings")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, CancellationToken ct) =>
        models.PutMonitoringSettingsAsync(req, client, project, ct).ToActionResult();

    [Function("RunMonitoring")]
    public Task<IActionResult> RunMonitoring(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "projects/{project}/monitoring/run")] HttpRequest req, string project, CancellationToken ct) =>
        models.RunMonitoringAsync(req, project, ct).ToActionResult();

    [Function("GetLineage")]
    public Task<IActionResult> GetLineage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "lineage/{kind}/{*id}")] HttpRequest req, string kind, string? id, CancellationToken ct) =>
        lineage.GetAsync(req, kind, id, ct).ToActionResult();

    [Function("WhoAmI")]
    public IActionResult WhoAmI([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest req) =>
        access.WhoAmI(req).ToActionResult();

    [Function("ListGrants")]
    public Task<IActionResult> ListGrants([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "access")] HttpRequest req, CancellationToken ct) =>
        access.ListAsync(req, ct).ToActionResult();

    [Function("AddGrant")]
    public Task<IActionResult> AddGrant([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "access")] HttpRequest req, CancellationToken ct) =>
        access.GrantAsync(req, ct).ToActionResult();

    [Function("RevokeGrant")]
    public Task<IActionResult> RevokeGrant([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "access")] HttpRequest req, CancellationToken ct) =>
        access.RevokeAsync(req, ct).ToActionResult();

    [Function("GetAudit")]
    public Task<IActionResult> GetAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit")] HttpRequest req, CancellationToken ct) =>
        access.QueryAuditAsync(req, ct).ToActionResult();

    [Function("CreateWebhook")]
    public Task<IActionResult> CreateWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks")] HttpRequest req, CancellationToken ct) =>
        webhooks.CreateAsync(req, ct).ToActionResult();

    [Function("ListWebhooks")]
    public Task<IActionResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks")] HttpRequest req, CancellationToken ct) =>
        webhooks.ListAsync(req, ct).ToActionResult();

    [Function("GetWebhook")]
    public Task<IActionResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        webhooks.GetAsync(id, ct).ToActionResult();

    [Function("DeleteWebhook")]
    public Task<IActionResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "webhooks/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        webhooks.DeleteAsync(id, ct).ToActionResult();

    [Function("ListWebhookDeliveries")]
    public Task<IActionResult> ListWebhookDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/{id}/deliveries")] HttpRequest req, string id, CancellationToken ct) =>
        webhooks.ListDeliveriesAsync(req, id, ct).ToActionResult();
}
