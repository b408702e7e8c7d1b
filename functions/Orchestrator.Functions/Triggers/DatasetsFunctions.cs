using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="DatasetsApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class DatasetsFunctions(ApiInvoker api)
{
    [Function(nameof(DatasetsApi.SearchDatasets))]
    public Task<IActionResult> SearchDatasets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + DatasetsApi.CatalogRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(DatasetsApi.FindDataset))]
    public Task<IActionResult> FindDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + DatasetsApi.NamedRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(DatasetsApi.UploadDataset))]
    public Task<IActionResult> UploadDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + DatasetsApi.DatasetRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(DatasetsApi.IngestFromLanding))]
    public Task<IActionResult> IngestFromLanding(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + DatasetsApi.IngestRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(DatasetsApi.GetDataset))]
    public Task<IActionResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + DatasetsApi.DatasetRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(DatasetsApi.PatchDataset))]
    public Task<IActionResult> PatchDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ApiRoute.PathPrefix + DatasetsApi.DatasetRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(DatasetsApi.GetDatasetVersion))]
    public Task<IActionResult> GetDatasetVersion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + DatasetsApi.VersionRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(DatasetsApi.GetDatasetQuarantine))]
    public Task<IActionResult> GetDatasetQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + DatasetsApi.QuarantineRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(DatasetsApi.DiffDatasetVersions))]
    public Task<IActionResult> DiffDatasetVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + DatasetsApi.DiffRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
