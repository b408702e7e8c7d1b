using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Security;

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
            Permission = Permission.Read, Data = DataScope.Redacted, Summary = "Search the catalog by name, description, tag and column",
        },
        new(nameof(FindDataset), "GET", NamedRoute, FindDataset)
        {
            Permission = Permission.Read, Data = DataScope.Redacted, Summary = "Find a dataset by name across projects", Problems = [400, 404],
        },
        new(nameof(UploadDataset), "POST", DatasetRoute, UploadDataset)
        {
            Permission = Permission.DatasetIngest, Scope = AccessScope.Project, Audit = "dataset.ingest", Data = DataScope.RouteDataset,
            Summary = "Upload a file as a new dataset version", Success = [201, 202], Problems = [400, 404, 413, 415, 422],
        },
        new(nameof(IngestFromLanding), "POST", IngestRoute, IngestFromLanding)
        {
            Permission = Permission.DatasetIngest, Scope = AccessScope.Project, Audit = "dataset.ingest", Data = DataScope.RouteDataset,
            Summary = "Ingest a file a source system left in the landing container", Success = [201, 202], Problems = [400, 404, 422],
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
        },
        new(nameof(DiffDatasetVersions), "GET", DiffRoute, DiffDatasetVersions)
        {
            Permission = Permission.Read, Scope = AccessScope.Project, Data = DataScope.RouteDataset,
            Summary = "Compare two versions: schema changes and per-column distribution shift", Problems = [400, 404, 409],
        },
    ]);

    public static Task<IResult> SearchDatasets(HttpRequest r, DatasetApi api, CancellationToken ct) => api.SearchAsync(r, ct);

    public static Task<IResult> FindDataset(HttpRequest r, string dataset, DatasetApi api, CancellationToken ct) => api.FindAsync(r, dataset, ct);

    public static Task<IResult> UploadDataset(HttpRequest r, string project, string dataset, DatasetApi api, DurableTaskClient client, CancellationToken ct) =>
        api.UploadAsync(r, client, project, dataset, ct);

    public static Task<IResult> IngestFromLanding(HttpRequest r, string project, string dataset, DatasetApi api, DurableTaskClient client, CancellationToken ct) =>
        api.IngestFromLandingAsync(r, client, project, dataset, ct);

    public static Task<IResult> GetDataset(HttpRequest r, string project, string dataset, DatasetApi api, CancellationToken ct) => api.GetDatasetAsync(r, project, dataset, ct);

    public static Task<IResult> PatchDataset(HttpRequest r, string project, string dataset, DatasetApi api, CancellationToken ct) => api.PatchDatasetAsync(r, project, dataset, ct);

    public static Task<IResult> GetDatasetVersion(HttpRequest r, string project, string dataset, int version, DatasetApi api, CancellationToken ct) =>
        api.GetVersionAsync(r, project, dataset, version, ct);

    public static Task<IResult> GetDatasetQuarantine(HttpRequest r, string project, string dataset, int version, DatasetApi api, CancellationToken ct) =>
        api.GetQuarantineAsync(r, project, dataset, version, ct);

    public static Task<IResult> DiffDatasetVersions(HttpRequest r, string project, string dataset, int version, int other, DatasetApi api, CancellationToken ct) =>
        api.DiffAsync(r, project, dataset, version, other, ct);
}
