using System.Text.Json.Serialization;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Http.Application.Datasets;

/// <summary>One catalog entry as search and find answer it (a restricted dataset the caller may not read shows no columns).</summary>
public sealed record CatalogEntryView(
    string Project, string Dataset, string? Owner, string? Description, IReadOnlyList<string> Tags, string Kind, int? LatestVersion,
    IReadOnlyList<string> Columns, DateTimeOffset UpdatedAt, bool Restricted, string Url)
{
    public static CatalogEntryView Of(DatasetInfo d) => new(d.Project, d.Dataset, d.Owner, d.Description, d.Tags, d.Kind, d.LatestVersion,
        d.Columns, d.UpdatedAt, d.RestrictedTo is { Count: > 0 }, DatasetUrls.Dataset(d.Project, d.Dataset));
}

/// <summary>A page of what a catalog search found: <c>count</c> entries matched in all, this page starts at <c>offset</c>.</summary>
public sealed record CatalogSearchView(int Count, IReadOnlyList<CatalogEntryView> Datasets, int Offset, int Limit, int? NextOffset);

/// <summary>The catalog entries of one dataset name, in every project that has it.</summary>
public sealed record CatalogFindView(string Dataset, int Count, IReadOnlyList<CatalogEntryView> Datasets);

/// <summary>A catalog entry with its versions: in full (<see cref="DatasetDetailView"/>) or, restricted, without its data (<see cref="RestrictedDatasetView"/>).</summary>
[JsonDerivedType(typeof(DatasetDetailView))]
[JsonDerivedType(typeof(RestrictedDatasetView))]
public abstract record DatasetEntryView(string Project, string Dataset, string? Owner, string? Description, IReadOnlyList<string> Tags, string? Kind, int? LatestVersion);

/// <summary>The catalog entry and its versions, oldest first, for a caller who may read the dataset.</summary>
public sealed record DatasetDetailView(
    string Project, string Dataset, string? Owner, string? Description, IReadOnlyList<string> Tags, string? Kind, int? LatestVersion,
    IReadOnlyList<string> Columns, DatasetExpectations? Expectations, DatasetExpectations? InferredExpectations,
    DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, bool Restricted, IReadOnlyList<string>? RestrictedTo, IReadOnlyList<DatasetVersionInfo> Versions)
    : DatasetEntryView(Project, Dataset, Owner, Description, Tags, Kind, LatestVersion);

/// <summary>A restricted dataset for a caller outside its groups: that it exists and who owns it; no columns, expectations or row counts.</summary>
public sealed record RestrictedDatasetView(
    string Project, string Dataset, string? Owner, string? Description, IReadOnlyList<string> Tags, string? Kind, int? LatestVersion,
    bool Restricted, IReadOnlyList<string>? RestrictedTo, IReadOnlyList<VersionSummaryView> Versions)
    : DatasetEntryView(Project, Dataset, Owner, Description, Tags, Kind, LatestVersion);

/// <summary>A version of a restricted dataset: its number, status and when it arrived.</summary>
public sealed record VersionSummaryView(int Version, string Status, DateTimeOffset CreatedAt);

/// <summary>What an upload answers: the version (<see cref="DatasetVersionView"/>, 200/201) or the ingestion still running (<see cref="PendingUploadView"/>, 202).</summary>
[JsonDerivedType(typeof(DatasetVersionView))]
[JsonDerivedType(typeof(PendingUploadView))]
public abstract record UploadView;

/// <summary>A dataset version with its data-quality report and the runs that used it.</summary>
public sealed record DatasetVersionView(
    string Project, string Dataset, int Version, string Status, string Kind, string Format, string ContentType, long Bytes, string? ContentHash,
    string? FileName, string? Source, string? IngestedBy, long RowsIn, long RowsOut, long RowsQuarantined, string? Error,
    IReadOnlyList<QuarantinedRow>? Problems, string RawBlob, string? CuratedBlob, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt,
    bool? Existing, DataQualityReport? Report, IReadOnlyList<RunUsageView> UsedBy, string? QuarantineUrl) : UploadView
{
    public static DatasetVersionView Of(DatasetVersionInfo v, bool duplicate, DataQualityReport? report, IReadOnlyList<RunUsageView> usedBy) => new(
        v.Project, v.Dataset, v.Version, v.Status, v.Kind, v.Format, v.ContentType, v.Bytes, v.ContentHash, v.FileName, v.Source, v.IngestedBy,
        v.RowsIn, v.RowsOut, v.RowsQuarantined, v.Error, v.Problems, v.RawBlob, v.CuratedBlob, v.CreatedAt, v.ReadyAt,
        duplicate ? true : null, report, usedBy, DatasetUrls.Quarantine(v));
}

/// <summary>A run that trained on a dataset version.</summary>
public sealed record RunUsageView(string RunId, RunStatus Status, int? ModelVersion, DateTimeOffset CreatedAt, string Url)
{
    public static RunUsageView Of(RunInfo r) => new(r.RunId, r.Status, r.ModelVersion, r.CreatedAt, $"/api/runs/{r.RunId}");
}

/// <summary>An upload whose ingestion is still running: where to follow it.</summary>
public sealed record PendingUploadView(
    string Project, string Dataset, int Version, string Status, long Bytes, string ContentHash, string Source, string IngestionId, string StatusUrl) : UploadView;

/// <summary>Two versions compared: schema changes and per-column distribution shift from the baseline to the current one.</summary>
public sealed record DatasetDiffView(
    string Project, string Dataset, int Baseline, int Current, RowCountsView Rows,
    IReadOnlyList<SchemaChange> SchemaChanges, IReadOnlyList<ColumnShift> Shifts, double ShiftedShare);

/// <summary>The curated rows of the baseline and the current version.</summary>
public sealed record RowCountsView(long Baseline, long Current);

/// <summary>The quarantine parts of a version (JSON Lines), in order.</summary>
public sealed record QuarantineParts(IReadOnlyList<string> Blobs);

/// <summary>Where the API serves datasets and their versions.</summary>
public static class DatasetUrls
{
    public static string Dataset(string project, string dataset) => $"/api/projects/{project}/datasets/{dataset}";

    public static string Version(DatasetVersionInfo v) => $"{Dataset(v.Project, v.Dataset)}/versions/{v.Version}";

    /// <summary>The version's quarantined rows, when it has some.</summary>
    public static string? Quarantine(DatasetVersionInfo v) => v.RowsQuarantined > 0 ? Version(v) + "/quarantine" : null;
}
