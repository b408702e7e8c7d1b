using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application;
using Orchestrator.Http.Application.Batches;
using Orchestrator.Http.Application.Models;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>The model registry and its environments: versions, aliases, history, promotion and rollback.</summary>
public static class ModelsApi
{
    public const string ModelsRoute = "projects/{project}/models";
    public const string PromoteRoute = ModelsRoute + "/{version:int}/promote";
    public const string RollbackRoute = ModelsRoute + "/rollback";
    public const string OnnxRoute = ModelsRoute + "/{version:int}/onnx";
    public const string CompareRoute = ModelsRoute + "/compare";
    public const string BatchRoute = ModelsRoute + "/{version:int}/batch";

    public static readonly ApiResource Resource = new("Models", "Registered model versions, the staging and production environments, promotion and rollback.",
    [
        new(nameof(ListModels), "GET", ModelsRoute, ListModels)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.Derived,
            Summary = "Model versions, what each environment serves, aliases and the change history", Problems = [400, 404],
        },
        new(nameof(PromoteModel), "POST", PromoteRoute, PromoteModel)
        {
            Permission = Permission.Promote, Scope = AccessScope.Project, Audit = "model.promote", Data = DataScope.Derived,
            Summary = "Smoke-test a version and switch an environment to it", Success = [202], Problems = [400, 404, 422],
        },
        new(nameof(RollbackModel), "POST", RollbackRoute, RollbackModel)
        {
            Permission = Permission.Rollback, Scope = AccessScope.Project, Audit = "model.rollback",
            Summary = "Serve the version an environment served before", Success = [202], Problems = [400, 404, 409],
        },
        new(nameof(ExportModelOnnx), "GET", OnnxRoute, ExportModelOnnx)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Audit = "model.export", Data = DataScope.Derived,
            Summary = "Download a version as ONNX, checked against the ML.NET model on its smoke rows",
            Description = "Converted once (Microsoft.ML.OnnxConverter) and kept; the file is handed out only when ONNX Runtime answers the version's "
                + "smoke rows as ML.NET did (headers X-Onnx-Check, ETag). `check=true` answers how it compared, with the file's inputs and outputs, "
                + "as JSON. 409 when a step of the pipeline has no ONNX conversion (`transform`, `column`), or when the check fails.",
            Problems = [400, 404, 409],
            OtherContent = new Dictionary<int, string> { [200] = "application/octet-stream" },
        },
        new(nameof(CompareModels), "GET", CompareRoute, CompareModels)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.Derived,
            Summary = "Champion against challenger on the canary traffic both scored: agreement and, with feedback, both models' metrics",
            Description = "Over the shadow predictions (deployment.canaryPercent) of requests made from `from` to `to` (ISO 8601; default the last "
                + "7 days) by what serves production and staging now: how many rows both scored, the share with the same label (classification) "
                + "or the mean absolute difference (regression), and the task's metrics of both on the rows that got feedback.",
            Problems = [400, 404],
        },
        new(nameof(BatchScoreModel), "POST", BatchRoute, BatchScoreModel)
        {
            // Predict, as the predict route: it scores rows with a model and changes nothing that serves.
            Permission = Permission.Predict, Scope = AccessScope.Project, Audit = "model.batch", Data = DataScope.NamedDataset,
            Summary = "Score a whole dataset version with a version, as a durable fan-out over its curated parts",
            Description = "Answers 202 with the status URL (`Location`, `statusUrl`: `GET /api/batches/{id}`). The output is Parquet under "
                + "`predictions/batch/{id}/` (one part per curated part: the rows with `prediction` and the scores) with a `manifest.json`; "
                + "lineage records dataset version → batch ← model version. `rows`: `all` (default) or `unlabelled` (the rows training left out). "
                + "422 when the version lacks a feature the model reads, 409 when it is not curated yet.",
            Success = [202], Problems = [400, 403, 404, 409, 422],
        },
    ]);

    public static Task<ApiResult<ModelsView>> ListModels(HttpContext context, string project, ModelService models, CancellationToken ct) =>
        models.ListAsync(project, AccessGate.Current(context), ct).ToApi();

    public static Task<ApiResult<PromotionView>> PromoteModel(HttpContext context, string project, int version, JsonBody<DeploymentRequest> body,
        ModelService models, DurableTaskClient client, CancellationToken ct) =>
        models.PromoteAsync(project, version, body.Value, AccessGate.Current(context), client, ct).ToApi();

    // The file, or with check=true how it compared (JSON); failures as problems either way.
    public static async Task<Results<ApiResult<OnnxExportView>, FileContentHttpResult>> ExportModelOnnx(HttpContext context, string project, int version,
        string? check, ModelExports exports, CancellationToken ct)
    {
        var outcome = await exports.ExportOnnxAsync(project, version, check, AccessGate.Current(context), ct);
        if (outcome.Value is not { } export) return ((Outcome<OnnxExportView>)outcome.Failure!).ToApi();
        if (outcome.AuditDetail is { } detail) AccessGate.SetAuditDetail(context, detail);
        if (check == "true") return Outcome<OnnxExportView>.Ok(export.View).ToApi();
        var result = export.View.Check;
        context.Response.Headers["X-Onnx-Check"] = FormattableString.Invariant($"passed; rows={result.Rows}; max-score-difference={result.MaxScoreDifference:G3}");
        return TypedResults.File(export.Onnx, "application/octet-stream", export.View.FileName, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{result.Sha256}\""));
    }

    public static Task<ApiResult<ModelComparisonView>> CompareModels(HttpContext context, string project, string? from, string? to,
        ModelComparison comparison, CancellationToken ct) =>
        comparison.CompareAsync(project, from, to, AccessGate.Current(context), ct).ToApi();

    public static Task<ApiResult<BatchView>> BatchScoreModel(HttpContext context, string project, int version, JsonBody<BatchRequest> body,
        BatchService batches, DurableTaskClient client, CancellationToken ct) =>
        batches.StartAsync(project, version, body.Value, AccessGate.Current(context), client, ct).ToApi();

    public static Task<ApiResult<RollbackView>> RollbackModel(HttpContext context, string project, JsonBody<DeploymentRequest> body,
        ModelService models, DurableTaskClient client, CancellationToken ct) =>
        models.RollbackAsync(project, body.Value, AccessGate.Current(context), client, ct).ToApi();
}
