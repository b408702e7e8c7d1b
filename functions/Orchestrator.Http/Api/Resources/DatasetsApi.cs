using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application.Datasets;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Http.Api;

/// <summary>The data lake's catalog: uploads and hand-overs, versions with their quality reports, quarantine, diffs, metadata.</summary>
public static class DatasetsApi
{
    public const string CatalogRoute = "datasets";
    public const string NamedRoute = "datasets/{dataset}";
    public const string DatasetRoute = "projects/{project}/datasets/{dataset}";
    public const string IngestRoute = DatasetRoute + "/ingest";
    public const string VersionRoute = DatasetRoute + "/versions/{version:int}";
    public const string QuarantineRoute = VersionRoute + "/quarantine";
    public const string DiffRoute = VersionRoute + "/diff/{other:int}";

    public static readonly ApiResource Resource = new("Datasets", "Datasets and their versions in the lake: ingestion, data quality, the catalog.",
    [
        new(nameof(SearchDatasets), "GET", CatalogRoute, SearchDatasets)
        {
            Permission = Permission.Read, Data = DataScope.Redacted, Summary = "Search the catalog by name, description, tag and column, a page at a time", Problems = [400],
        },
        new(nameof(FindDataset), "GET", NamedRoute, FindDataset)
        {
            Permission = Permission.Read, Data = DataScope.Redacted, Summary = "Find a dataset by name across projects", Problems = [400, 404],
        },
        new(nameof(UploadDataset), "POST", DatasetRoute, UploadDataset)
        {
            Permission = Permission.DatasetIngest, Scope = AccessScope.Project, Audit = "dataset.ingest", Data = DataScope.RouteDataset,
            Summary = "Upload a file as a new dataset version", Success = [201, 202], Problems = [400, 404, 413, 415, 422],
            // The body is the file itself, streamed (never read whole); its media type picks the format, and any other
            // media type (image/png, application/pdf …) is kept as an unstructured file. Routing refuses what is not listed.
            Accepts = ["text/csv", "application/json", "application/x-ndjson", "application/vnd.apache.parquet", "application/octet-stream", "*/*"],
        },
        new(nameof(IngestFromLanding), "POST", IngestRoute, IngestFromLanding)
        {
            Permission = Permission.DatasetIngest, Scope = AccessScope.Project, Audit = "dataset.ingest", Data = DataScope.RouteDataset,
            Summary = "Ingest a file a source system left in the landing container", Success = [201, 202], Problems = [400, 404, 409, 413, 422],
        },
        new(nameof(GetDataset), "GET", DatasetRoute, GetDataset)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.Redacted, Summary = "Read a catalog entry and its versions", Problems = [400, 404],
        },
        new(nameof(PatchDataset), "PATCH", DatasetRoute, PatchDataset)
        {
            Permission = Permission.DatasetEdit, Scope = AccessScope.Project, Audit = "dataset.update", Data = DataScope.RouteDataset,
            Summary = "Change a dataset's owner, description, tags, expectations or restriction", Problems = [400, 404],
        },
        new(nameof(GetDatasetVersion), "GET", VersionRoute, GetDatasetVersion)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.RouteDataset,
            Summary = "Read a dataset version with its data-quality report and the runs that used it", Problems = [400, 404],
        },
        new(nameof(GetDatasetQuarantine), "GET", QuarantineRoute, GetDatasetQuarantine)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.RouteDataset,
            Summary = "Read a version's quarantined rows (JSON Lines)", Problems = [400, 404],
            OtherContent = new Dictionary<int, string> { [200] = "application/x-ndjson" },
        },
        new(nameof(DiffDatasetVersions), "GET", DiffRoute, DiffDatasetVersions)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.RouteDataset,
            Summary = "Compare two versions: schema changes and per-column distribution shift", Problems = [400, 404, 409],
        },
    ]);

    public static Task<ApiResult<CatalogSearchView>> SearchDatasets(HttpContext context, string? q, string? column, string? tag, string? project,
        string? order, string? offset, string? limit, DatasetCatalog catalog, CancellationToken ct) =>
        catalog.SearchAsync(AccessGate.Current(context), q, column, tag, project, order, offset, limit, ct).ToApi();

    public static Task<ApiResult<CatalogFindView>> FindDataset(HttpContext context, string dataset, DatasetCatalog catalog, CancellationToken ct) =>
        catalog.FindAsync(AccessGate.Current(context), dataset, ct).ToApi();

    public static Task<ApiResult<UploadView>> UploadDataset(HttpContext context, string project, string dataset, string? name, DatasetUploads uploads,
        DurableTaskClient client, CancellationToken ct) =>
        uploads.UploadAsync(client, project, dataset, new UploadRequest(context.Request.Body, context.Request.ContentType, context.Request.ContentLength, name,
            CallerId(context), RespondAsync(context)), ct).ToApi();

    public static Task<ApiResult<UploadView>> IngestFromLanding(HttpContext context, string project, string dataset, JsonBody<LandingRequest> body,
        DatasetUploads uploads, DurableTaskClient client, CancellationToken ct) =>
        uploads.IngestFromLandingAsync(client, project, dataset, body.Value, CallerId(context), RespondAsync(context), ct).ToApi();

    public static Task<ApiResult<DatasetEntryView>> GetDataset(HttpContext context, string project, string dataset, DatasetCatalog catalog, CancellationToken ct) =>
        catalog.GetAsync(AccessGate.Current(context), project, dataset, ct).ToApi();

    public static Task<ApiResult<DatasetInfo>> PatchDataset(HttpContext context, string project, string dataset, JsonBody<DatasetPatch> body, DatasetCatalog catalog,
        CancellationToken ct) =>
        catalog.PatchAsync(AccessGate.Current(context), project, dataset, body.Value, ct).ToApi();

    public static Task<ApiResult<DatasetVersionView>> GetDatasetVersion(string project, string dataset, int version, DatasetCatalog catalog,
        CancellationToken ct) =>
        catalog.GetVersionAsync(project, dataset, version, ct).ToApi();

    // The quarantined rows as JSON Lines; the failures (not found) as problems.
    public static async Task<IResult> GetDatasetQuarantine(string project, string dataset, int version, DatasetCatalog catalog,
        CancellationToken ct)
    {
        var outcome = await catalog.GetQuarantineAsync(project, dataset, version, ct);
        return outcome.Value is { } parts ? Results.Stream(output => catalog.WriteQuarantineAsync(parts, output), "application/x-ndjson") : outcome.ToApi();
    }

    public static Task<ApiResult<DatasetDiffView>> DiffDatasetVersions(string project, string dataset, int version, int other,
        DatasetCatalog catalog, CancellationToken ct) =>
        catalog.DiffAsync(project, dataset, version, other, ct).ToApi();

    private static string? CallerId(HttpContext context) => AccessGate.Current(context)?.Caller.Id;

    /// <summary>Whether the caller asked not to wait for the ingestion (<c>Prefer: respond-async</c>).</summary>
    private static bool RespondAsync(HttpContext context) =>
        context.Request.Headers["Prefer"].Any(p => p is not null && p.Contains("respond-async", StringComparison.OrdinalIgnoreCase));
}
