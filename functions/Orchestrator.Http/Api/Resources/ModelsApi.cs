using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application.Models;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>The model registry and its environments: versions, aliases, history, promotion and rollback.</summary>
public static class ModelsApi
{
    public const string ModelsRoute = "projects/{project}/models";
    public const string PromoteRoute = ModelsRoute + "/{version:int}/promote";
    public const string RollbackRoute = ModelsRoute + "/rollback";

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
    ]);

    public static Task<ApiResult<ModelsView>> ListModels(HttpContext context, string project, ModelService models, CancellationToken ct) =>
        models.ListAsync(project, AccessGate.Current(context), ct).ToApi();

    public static Task<ApiResult<PromotionView>> PromoteModel(HttpContext context, string project, int version, JsonBody<DeploymentRequest> body,
        ModelService models, DurableTaskClient client, CancellationToken ct) =>
        models.PromoteAsync(project, version, body.Value, AccessGate.Current(context), client, ct).ToApi();

    public static Task<ApiResult<RollbackView>> RollbackModel(HttpContext context, string project, JsonBody<DeploymentRequest> body,
        ModelService models, DurableTaskClient client, CancellationToken ct) =>
        models.RollbackAsync(project, body.Value, AccessGate.Current(context), client, ct).ToApi();
}
