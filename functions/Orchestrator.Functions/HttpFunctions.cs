using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http;

namespace Orchestrator.Functions;

/// <summary>
/// The HTTP API: one function per route of the self-hosted server (<c>Orchestrator.Server/Endpoints.cs</c>), each bound
/// to the same <see cref="LifecycleApi"/>, <see cref="DatasetApi"/>, <see cref="ModelApi"/> or <see cref="WebhookApi"/> method. Routes sit under the host's <c>api/</c> prefix, so
/// <c>Route = "projects/{project}"</c> is <c>/api/projects/{project}</c>. The one difference: health is
/// <c>/api/healthz</c> here (the server has <c>/healthz</c>) because host.json keeps the default prefix.
/// The approval link routes (GET/POST <c>approvals/{approvalId}</c>) are anonymous: the signed token in the link is the
/// credential. Every other route, resend and cancel included, needs a function key.
/// </summary>
public sealed class HttpFunctions(LifecycleApi api, DatasetApi datasets, ModelApi models, WebhookApi webhooks)
{
    [Function("Health")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest req, CancellationToken ct) =>
        api.HealthAsync(ct).ToActionResult();

    [Function("PutProject")]
    public Task<IActionResult> PutProject(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "projects/{project}")] HttpRequest req, string project, CancellationToken ct) =>
        api.PutProjectAsync(req, project, ct).ToActionResult();

    [Function("GetProject")]
    public Task<IActionResult> GetProject(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}")] HttpRequest req, string project, CancellationToken ct) =>
        api.GetProjectAsync(project, ct).ToActionResult();

    [Function("SearchDatasets")]
    public Task<IActionResult> SearchDatasets(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "datasets")] HttpRequest req, CancellationToken ct) =>
        datasets.SearchAsync(req, ct).ToActionResult();

    [Function("FindDataset")]
    public Task<IActionResult> FindDataset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "datasets/{dataset}")] HttpRequest req, string dataset, CancellationToken ct) =>
        datasets.FindAsync(dataset, ct).ToActionResult();

    [Function("UploadDataset")]
    public Task<IActionResult> UploadDataset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/datasets/{dataset}")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, string dataset, CancellationToken ct) =>
        datasets.UploadAsync(req, client, project, dataset, ct).ToActionResult();

    [Function("IngestFromLanding")]
    public Task<IActionResult> IngestFromLanding(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/datasets/{dataset}/ingest")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, string dataset, CancellationToken ct) =>
        datasets.IngestFromLandingAsync(req, client, project, dataset, ct).ToActionResult();

    [Function("GetDataset")]
    public Task<IActionResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/datasets/{dataset}")] HttpRequest req,
        string project, string dataset, CancellationToken ct) =>
        datasets.GetDatasetAsync(project, dataset, ct).ToActionResult();

    [Function("PatchDataset")]
    public Task<IActionResult> PatchDataset(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "projects/{project}/datasets/{dataset}")] HttpRequest req,
        string project, string dataset, CancellationToken ct) =>
        datasets.PatchDatasetAsync(req, project, dataset, ct).ToActionResult();

    [Function("GetDatasetVersion")]
    public Task<IActionResult> GetDatasetVersion(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/datasets/{dataset}/versions/{version:int}")] HttpRequest req,
        string project, string dataset, int version, CancellationToken ct) =>
        datasets.GetVersionAsync(project, dataset, version, ct).ToActionResult();

    [Function("GetDatasetQuarantine")]
    public Task<IActionResult> GetDatasetQuarantine(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/datasets/{dataset}/versions/{version:int}/quarantine")] HttpRequest req,
        string project, string dataset, int version, CancellationToken ct) =>
        datasets.GetQuarantineAsync(project, dataset, version, ct).ToActionResult();

    [Function("DiffDatasetVersions")]
    public Task<IActionResult> DiffDatasetVersions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/datasets/{dataset}/versions/{version:int}/diff/{other:int}")] HttpRequest req,
        string project, string dataset, int version, int other, CancellationToken ct) =>
        datasets.DiffAsync(project, dataset, version, other, ct).ToActionResult();

    [Function("StartRun")]
    public Task<IActionResult> StartRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/runs")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, CancellationToken ct) =>
        api.StartRunAsync(req, client, project, ct).ToActionResult();

    [Function("ListRuns")]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/runs")] HttpRequest req, string project, CancellationToken ct) =>
        api.ListRunsAsync(project, ct).ToActionResult();

    [Function("GetRun")]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}")] HttpRequest req, string runId, CancellationToken ct) =>
        api.GetRunAsync(runId, ct).ToActionResult();

    [Function("Rerun")]
    public Task<IActionResult> Rerun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{runId}/rerun")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string runId, CancellationToken ct) =>
        api.RerunAsync(req, client, runId, ct).ToActionResult();

    [Function("ListTrials")]
    public Task<IActionResult> ListTrials(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/trials")] HttpRequest req, string runId, CancellationToken ct) =>
        api.ListTrialsAsync(req, runId, ct).ToActionResult();

    [Function("GetModelCard")]
    public Task<IActionResult> GetModelCard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/model-card")] HttpRequest req, string runId, CancellationToken ct) =>
        api.GetModelCardAsync(runId, ct).ToActionResult();

    [Function("GetTrial")]
    public Task<IActionResult> GetTrial(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trials/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        api.GetTrialAsync(id, ct).ToActionResult();

    [Function("ListApprovals")]
    public Task<IActionResult> ListApprovals(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "approvals")] HttpRequest req, CancellationToken ct) =>
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
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/{approvalId}/resend")] HttpRequest req, string approvalId, CancellationToken ct) =>
        api.ResendApprovalAsync(approvalId, ct).ToActionResult();

    [Function("CancelApproval")]
    public Task<IActionResult> CancelApproval(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "approvals/{approvalId}/cancel")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string approvalId, CancellationToken ct) =>
        api.CancelApprovalAsync(req, client, approvalId, ct).ToActionResult();

    [Function("ListModels")]
    public Task<IActionResult> ListModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/models")] HttpRequest req, string project, CancellationToken ct) =>
        models.ListModelsAsync(project, ct).ToActionResult();

    [Function("PromoteModel")]
    public Task<IActionResult> PromoteModel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/models/{version:int}/promote")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, int version, CancellationToken ct) =>
        models.PromoteAsync(req, client, project, version, ct).ToActionResult();

    [Function("RollbackModel")]
    public Task<IActionResult> RollbackModel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/models/rollback")] HttpRequest req,
        [DurableClient] DurableTaskClient client, string project, CancellationToken ct) =>
        models.RollbackAsync(req, client, project, ct).ToActionResult();

    [Function("Predict")]
    public Task<IActionResult> Predict(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/predict")] HttpRequest req, string project, CancellationToken ct) =>
        models.PredictAsync(req, project, ct).ToActionResult();

    [Function("Feedback")]
    public Task<IActionResult> Feedback(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/feedback")] HttpRequest req, string project, CancellationToken ct) =>
        models.FeedbackAsync(req, project, ct).ToActionResult();

    [Function("GetMonitoring")]
    public Task<IActionResult> GetMonitoring(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/monitoring")] HttpRequest req, string project, CancellationToken ct) =>
        models.GetMonitoringAsync(req, project, ct).ToActionResult();

    [Function("RunMonitoring")]
    public Task<IActionResult> RunMonitoring(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "projects/{project}/monitoring/run")] HttpRequest req, string project, CancellationToken ct) =>
        models.RunMonitoringAsync(req, project, ct).ToActionResult();

    [Function("CreateWebhook")]
    public Task<IActionResult> CreateWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks")] HttpRequest req, CancellationToken ct) =>
        webhooks.CreateAsync(req, ct).ToActionResult();

    [Function("ListWebhooks")]
    public Task<IActionResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks")] HttpRequest req, CancellationToken ct) =>
        webhooks.ListAsync(req, ct).ToActionResult();

    [Function("GetWebhook")]
    public Task<IActionResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        webhooks.GetAsync(id, ct).ToActionResult();

    [Function("DeleteWebhook")]
    public Task<IActionResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "webhooks/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        webhooks.DeleteAsync(id, ct).ToActionResult();

    [Function("ListWebhookDeliveries")]
    public Task<IActionResult> ListWebhookDeliveries(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{id}/deliveries")] HttpRequest req, string id, CancellationToken ct) =>
        webhooks.ListDeliveriesAsync(req, id, ct).ToActionResult();
}
