using Orchestrator.Http.Security;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Datasets;

/// <summary>A dataset's metadata sent with <c>PATCH</c>: fields present replace the current ones.</summary>
public sealed record DatasetPatch(string? Owner, string? Description, IReadOnlyList<string>? Tags, DatasetExpectations? Expectations, IReadOnlyList<string>? RestrictedTo);

/// <summary>
/// The data lake's catalog: search and find datasets, read an entry with its versions, change its metadata, read a
/// version with its report, its quarantined rows, and compare two versions. A restricted dataset shows its rows and
/// statistics only to the users and groups it names (<see cref="AccessContext.CanReadData"/>).
/// </summary>
public sealed class DatasetCatalog(ProjectStore projectStore, DatasetStore datasetStore, RunStore runStore, LakeStore lake, DatasetIngestion ingestion,
    TimeProvider clock)
{
    public const int DefaultSearchLimit = 100;
    public const int MaxSearchLimit = 500;

    /// <summary>
    /// The catalog searched by name, description, tag and column name (case-insensitive; all given filters must match),
    /// by project then name (<c>order=name</c>, the default) or most recently updated first (<c>order=updated</c>), a page at a time.
    /// </summary>
    public async Task<Outcome<CatalogSearchView>> SearchAsync(AccessContext? access, string? q, string? column, string? tag, string? project,
        string? order, string? offset, string? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var page = Checks.Page(offset, limit, DefaultSearchLimit, MaxSearchLimit, errors);
        order = NullIfEmpty(order) ?? "name";
        if (order is not ("name" or "updated")) errors["order"] = ["Either name (by project, then name) or updated (most recently updated first)."];
        if (errors.Count > 0) return Failure.Invalid(errors);
        (q, column, tag, project) = (NullIfEmpty(q), NullIfEmpty(column), NullIfEmpty(tag), NullIfEmpty(project));
        static bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
        var found = Visible(access, await datasetStore.ListDatasetsAsync(ct))
            .Where(d => project is null || d.Project == project)
            .Where(d => q is null || Has(d.Dataset, q) || Has(d.Description, q) || d.Tags.Any(t => Has(t, q)) || d.Columns.Any(c => Has(c, q)))
            .Where(d => column is null || d.Columns.Any(c => Has(c, column)))
            .Where(d => tag is null || d.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var ordered = (order == "updated"
                ? found.OrderByDescending(d => d.UpdatedAt).ThenBy(d => d.Project, StringComparer.Ordinal).ThenBy(d => d.Dataset, StringComparer.Ordinal)
                : found.OrderBy(d => d.Project, StringComparer.Ordinal).ThenBy(d => d.Dataset, StringComparer.Ordinal))
            .Select(CatalogEntryView.Of).ToList();
        return Outcome<CatalogSearchView>.Ok(new CatalogSearchView(ordered.Count, page.Of(ordered), page.Offset, page.Limit, page.NextOffset(ordered.Count)));
    }

    /// <summary>The catalog entries of that name in every project (a name can appear in more than one), each with where to find its versions.</summary>
    public async Task<Outcome<CatalogFindView>> FindAsync(AccessContext? access, string dataset, CancellationToken ct)
    {
        if (Checks.Name(dataset, "dataset") is { } bad) return bad;
        var found = Visible(access, await datasetStore.ListDatasetsAsync(ct)).Where(d => d.Dataset == dataset).OrderBy(d => d.Project, StringComparer.Ordinal)
            .Select(CatalogEntryView.Of).ToList();
        return found.Count == 0
            ? Failure.NotFound("Dataset not found", $"No project has a dataset named '{dataset}'; search with GET /api/datasets?q={dataset}.")
            : Outcome<CatalogFindView>.Ok(new CatalogFindView(dataset, found.Count, found));
    }

    /// <summary>
    /// The catalog as the caller may see it: datasets of projects it can read; a restricted dataset it may not read
    /// shows that it exists, without its columns (so searching by column does not reveal them either).
    /// </summary>
    private static IEnumerable<DatasetInfo> Visible(AccessContext? access, IEnumerable<DatasetInfo> datasets) =>
        datasets.Where(d => access?.Allows(Permission.Read, d.Project) == true)
            .Select(d => access!.CanReadData(d) ? d : d with { Columns = [] });

    /// <summary>The catalog entry and its versions, oldest first; restricted, only that it exists and who owns it.</summary>
    public async Task<Outcome<DatasetEntryView>> GetAsync(AccessContext? access, string project, string dataset, CancellationToken ct)
    {
        if (CheckNames(project, dataset) is { } bad) return bad;
        var info = await datasetStore.GetDatasetAsync(project, dataset, ct);
        var versions = await datasetStore.ListDatasetVersionsAsync(project, dataset, ct);
        if (info is null && versions.Count == 0) return Failure.NotFound("Dataset not found", $"Project '{project}' has no dataset '{dataset}'.");
        var tags = info?.Tags ?? [];
        if (access?.CanReadData(info) != true)
            // The catalog says the dataset exists and who owns it; its columns, expectations and row counts stay hidden.
            return Outcome<DatasetEntryView>.Ok(new RestrictedDatasetView(project, dataset, info?.Owner, info?.Description, tags, info?.Kind, info?.LatestVersion,
                true, info?.RestrictedTo, versions.Select(v => new VersionSummaryView(v.Version, v.Status, v.CreatedAt)).ToList()));
        return Outcome<DatasetEntryView>.Ok(new DatasetDetailView(project, dataset, info?.Owner, info?.Description, tags, info?.Kind, info?.LatestVersion,
            info?.Columns ?? [], info?.Expectations, info?.InferredExpectations, info?.CreatedAt, info?.UpdatedAt,
            info?.RestrictedTo is { Count: > 0 }, info?.RestrictedTo, versions));
    }

    /// <summary>
    /// Changes a dataset's metadata: fields present replace the current ones; the expectations apply to the versions
    /// ingested after. Who may read the data is the owner's or an administrator's decision: only they change the
    /// restriction or the owner (anyone else could name themselves and read everything).
    /// </summary>
    public async Task<Outcome<DatasetInfo>> PatchAsync(AccessContext? access, string project, string dataset, DatasetPatch patch, CancellationToken ct)
    {
        if (CheckNames(project, dataset) is { } bad) return bad;
        var errors = ValidatePatch(patch);
        if (errors.Count > 0) return Failure.Invalid(errors, $"The changes to dataset '{dataset}' are invalid.");
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        if (patch.RestrictedTo is not null || patch.Owner is not null)
        {
            var current = await datasetStore.GetDatasetAsync(project, dataset, ct);
            if (access is null || !(access.IsAdminOf(project) || access.IsOwner(current)))
            {
                var detail = $"{access?.Caller.Id ?? "anonymous"} may not change who owns or may read dataset '{project}/{dataset}': only its owner ({current?.Owner ?? "none recorded"}) or an Admin of the project can.";
                return (Outcome<DatasetInfo>)Failure.Forbidden(detail) with { AuditDetail = detail };
            }
        }
        var now = clock.GetUtcNow();
        var updated = await datasetStore.UpdateDatasetAsync(project, dataset, current => (current ?? DatasetIngestion.NewCatalogEntry(project, dataset, DatasetKind.Tabular, now)) with
        {
            Owner = patch.Owner ?? current?.Owner,
            Description = patch.Description ?? current?.Description,
            Tags = patch.Tags?.Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList() ?? current?.Tags ?? [],
            Expectations = patch.Expectations ?? current?.Expectations,
            // An empty list lifts the restriction.
            RestrictedTo = patch.RestrictedTo is { } entries ? entries.Select(NormalizeReader).Distinct(StringComparer.Ordinal).ToList() : current?.RestrictedTo,
            UpdatedAt = now,
        }, ct);
        return Outcome<DatasetInfo>.Ok(updated);
    }

    private static Dictionary<string, string[]> ValidatePatch(DatasetPatch patch)
    {
        var errors = new Dictionary<string, string[]>();
        if (patch.Owner is { Length: > 200 }) errors["owner"] = ["At most 200 characters."];
        if (patch.Description is { Length: > 4000 }) errors["description"] = ["At most 4000 characters."];
        if (patch.Tags is { } tags)
            for (var i = 0; i < tags.Count; i++)
                if (string.IsNullOrWhiteSpace(tags[i]) || tags[i].Length > 50) errors[$"tags[{i}]"] = ["A tag is 1 to 50 characters."];
        if (patch.RestrictedTo is { } restricted)
            for (var i = 0; i < restricted.Count; i++)
                if (string.IsNullOrWhiteSpace(restricted[i]) || restricted[i].Length > 256 || NormalizeReader(restricted[i]) is AccessContext.GroupPrefix or "app:")
                    errors[$"restrictedTo[{i}]"] = ["A user id (email or user name, 'app:{id}' for a service) or 'group:{name}', at most 256 characters."];
        if (patch.Expectations is not { } e) return errors;
        // Written as "not within" so that NaN (which compares false with everything) is refused too.
        if (e.MaxRejectedShare is { } rejected && !(rejected >= 0 && rejected <= 1)) errors["expectations.maxRejectedShare"] = ["A share between 0 and 1."];
        if (e.Deduplicate is not (null or DeduplicateMode.None or DeduplicateMode.Row or DeduplicateMode.Key))
            errors["expectations.deduplicate"] = ["One of 'none', 'row', 'key'."];
        if (e.Deduplicate == DeduplicateMode.Key && e.Key is not { Count: > 0 })
            errors["expectations.key"] = ["Deduplicating by key needs the key columns."];
        foreach (var (column, c) in e.Columns ?? new Dictionary<string, ColumnExpectation>())
        {
            var field = $"expectations.columns.{column}";
            if (c.Type is { } type && !ColumnType.All.Contains(type)) errors[$"{field}.type"] = [$"One of {string.Join(", ", ColumnType.All)}."];
            if (c.MaxNullShare is { } nulls && !(nulls >= 0 && nulls <= 1)) errors[$"{field}.maxNullShare"] = ["A share between 0 and 1."];
            if (c.Min is { } low && !double.IsFinite(low)) errors[$"{field}.min"] = ["A finite number."];
            if (c.Max is { } high && !double.IsFinite(high)) errors[$"{field}.max"] = ["A finite number."];
            if (c.Min is { } min && c.Max is { } max && min > max) errors[$"{field}.min"] = ["The minimum is above the maximum."];
        }
        return errors;
    }

    /// <summary>The version, its report and lineage (runs that used it).</summary>
    public async Task<Outcome<DatasetVersionView>> GetVersionAsync(string project, string dataset, int version, CancellationToken ct)
    {
        var found = await VersionAsync(project, dataset, version, ct);
        if (found.Value is not { } info) return found.Failure!;
        return Outcome<DatasetVersionView>.Ok(await VersionViewAsync(info, duplicate: false, ct));
    }

    /// <summary>The quarantine parts of a version (rejected rows as JSON Lines: row, line, reasons, values as received), in order.</summary>
    public async Task<Outcome<QuarantineParts>> GetQuarantineAsync(string project, string dataset, int version, CancellationToken ct)
    {
        if (await VersionAsync(project, dataset, version, ct) is { Failure: { } failure }) return failure;
        var parts = await lake.ListAsync(StorageNames.QuarantineContainer, LakeStore.DatasetPath(project, dataset, version, "part-"), ct);
        parts.Sort(StringComparer.Ordinal);
        return Outcome<QuarantineParts>.Ok(new QuarantineParts(parts));
    }

    /// <summary>Copies the quarantine parts, one after the other, to <paramref name="output"/>.</summary>
    public async Task WriteQuarantineAsync(QuarantineParts parts, Stream output)
    {
        foreach (var part in parts.Blobs)
        {
            await using var stream = await lake.OpenReadAsync(StorageNames.QuarantineContainer, part, CancellationToken.None);
            await stream.CopyToAsync(output);
        }
    }

    /// <summary>Schema changes and per-column distribution shift from <paramref name="version"/> (the baseline) to <paramref name="other"/>.</summary>
    public async Task<Outcome<DatasetDiffView>> DiffAsync(string project, string dataset, int version, int other, CancellationToken ct)
    {
        if (CheckNames(project, dataset) is { } bad) return bad;
        var reports = new List<DataQualityReport>();
        foreach (var v in new[] { version, other })
        {
            var info = await datasetStore.GetDatasetVersionAsync(project, dataset, v, ct);
            if (info is null) return VersionNotFound(project, dataset, v);
            if (info.Status != DatasetStatus.Ready || await ingestion.ReadReportAsync(info, ct) is not { Profiles: not null } report)
                return Failure.Conflict("Dataset version not comparable", $"Version {v} of {project}/{dataset} is {info.Status}{(info.Kind == DatasetKind.File ? " (a file, not a table)" : "")}: only Ready tabular versions can be compared.");
            reports.Add(report);
        }
        var diff = DatasetDiff.Compare(reports[0].Profiles!, reports[1].Profiles!);
        return Outcome<DatasetDiffView>.Ok(new DatasetDiffView(project, dataset, version, other, new RowCountsView(reports[0].RowsOut, reports[1].RowsOut),
            diff.SchemaChanges, diff.Shifts, diff.ShiftedShare));
    }

    /// <summary>A version as the API answers it: with its report, the runs that used it, and whether an upload found it again.</summary>
    public async Task<DatasetVersionView> VersionViewAsync(DatasetVersionInfo v, bool duplicate, CancellationToken ct)
    {
        var report = await ingestion.ReadReportAsync(v, ct);
        var usedBy = (await runStore.ListRunsUsingAsync(v.Project, v.Dataset, v.Version, ct)).Select(RunUsageView.Of).ToList();
        return DatasetVersionView.Of(v, duplicate, report, usedBy);
    }

    // The access gate has refused the routes of a restricted dataset to whoever may not read it (DataScope.RouteDataset).
    private async Task<Outcome<DatasetVersionInfo>> VersionAsync(string project, string dataset, int version, CancellationToken ct)
    {
        if (CheckNames(project, dataset) is { } bad) return bad;
        return await datasetStore.GetDatasetVersionAsync(project, dataset, version, ct) is { } info
            ? Outcome<DatasetVersionInfo>.Ok(info) : VersionNotFound(project, dataset, version);
    }

    private static Failure VersionNotFound(string project, string dataset, int version) =>
        Failure.NotFound("Dataset version not found", $"{project}/{dataset} has no version {version}.");

    /// <summary>Invalid unless both the project and the dataset are valid names.</summary>
    public static Failure? CheckNames(string project, string dataset) => Checks.Name(project, "project") ?? Checks.Name(dataset, "dataset");

    /// <summary>A reader of a restricted dataset as stored: trimmed, the <c>group:</c> prefix lower-case, user ids lower-case as callers' ids are.</summary>
    private static string NormalizeReader(string entry)
    {
        var trimmed = entry.Trim();
        return trimmed.StartsWith(AccessContext.GroupPrefix, StringComparison.OrdinalIgnoreCase)
            ? AccessContext.GroupPrefix + trimmed[AccessContext.GroupPrefix.Length..].Trim()
            : trimmed.ToLowerInvariant();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
