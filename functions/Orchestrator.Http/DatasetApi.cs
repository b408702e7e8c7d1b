using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Security;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;
using ProductJson = Orchestrator.Workflows.Storage.Json;

namespace Orchestrator.Http;

using static ApiResults;

/// <summary>
/// The data-engineering routes, written once (both hosts bind to them): uploads and hand-overs from the landing
/// container, dataset versions with their quality reports, the catalog (search, metadata, expectations) and diffs.
/// </summary>
public sealed class DatasetApi(ProjectStore projectStore, DatasetStore datasetStore, RunStore runStore, LakeStore lake, DatasetIngestion ingestion,
    LineageStore lineage, TimeProvider clock, IOptions<UploadOptions> uploads,
    WebhookPublisher webhooks, WebhookDispatcher dispatcher)
{
    private const int SniffBytes = 64 * 1024;

    /// <summary>
    /// <c>POST /api/projects/{project}/datasets/{dataset}[?name=file.csv]</c>: the body is the file, streamed to
    /// the raw zone as received. Tables (CSV, JSON, JSON Lines, Parquet) are then ingested; any other content type is an
    /// unstructured file, kept as-is and catalogued. Re-sending the same bytes returns the existing version (200).
    /// The call waits for ingestion up to <see cref="UploadOptions.WaitSeconds"/>: 201 when Ready, 422 when the data
    /// breaks the checks (naming rows and columns), 202 while still running (or at once with <c>Prefer: respond-async</c>).
    /// </summary>
    public async Task<IResult> UploadAsync(HttpRequest request, DurableTaskClient client, string project, string dataset, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad1) return bad1;
        if (CheckName(dataset, "dataset") is { } bad2) return bad2;
        var format = DataFormat.FromContentType(request.ContentType);
        if (format is null)
            return Problem(415, "Unsupported content type", $"Content-Type '{request.ContentType}' is not accepted; send text/csv, application/json, application/x-ndjson, application/vnd.apache.parquet, or the media type of a file (image/png, application/pdf …).");
        if (request.ContentLength > uploads.Value.MaxBytes)
            return Problem(413, "Upload too large", $"The upload is {request.ContentLength} bytes; the limit is {uploads.Value.MaxBytes}.");
        var name = request.Query["name"].ToString();
        if (name.Length > 0 && !IsSafeFileName(name))
            return Invalid(new() { ["name"] = [$"'{name}' is not a plain file name (letters, digits, '.', '-', '_', up to 120 characters)."] });
        var definition = await projectStore.GetProjectAsync(project, ct);
        if (definition is null) return ProjectNotFound(project);
        var upload = new Upload(project, dataset, request.Body, request.ContentType!, format, name.Length > 0 ? name : null, "upload",
            CallerId(request), definition.Label, RespondAsync(request));
        return await AcceptAsync(client, upload, ct);
    }

    private sealed record IngestRequest(string? Blob);

    /// <summary>
    /// <c>POST /api/projects/{project}/datasets/{dataset}/ingest</c> <c>{ "blob": "path/in/landing.csv" }</c>: a source
    /// system that writes to the <c>landing</c> container hands a file over without HTTP; it is copied to <c>raw</c>
    /// (streamed) and ingested like an upload. The format comes from the extension (.csv, .json, .jsonl, .parquet; any
    /// other is an unstructured file).
    /// </summary>
    public async Task<IResult> IngestFromLandingAsync(HttpRequest request, DurableTaskClient client, string project, string dataset, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad1) return bad1;
        if (CheckName(dataset, "dataset") is { } bad2) return bad2;
        IngestRequest? body;
        try { body = await JsonSerializer.DeserializeAsync<IngestRequest>(request.Body, ProductJson.Options, ct); }
        catch (JsonException e) { return Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] }); }
        var blob = body?.Blob;
        if (string.IsNullOrWhiteSpace(blob) || blob.Length > 512 || blob.StartsWith('/') || blob.Split('/').Any(part => part is "" or "." or ".."))
            return Invalid(new() { ["blob"] = ["A path inside the landing container, without empty, '.' or '..' segments."] });
        var format = DataFormat.FromFileName(blob);
        if (format is null) return Invalid(new() { ["blob"] = [$"'{blob}' has no extension to tell its format (.csv, .json, .jsonl, .parquet, .png …)."] });
        var definition = await projectStore.GetProjectAsync(project, ct);
        if (definition is null) return ProjectNotFound(project);
        if (!await lake.ExistsAsync(StorageNames.LandingContainer, blob, ct))
            return Problem(404, "Blob not found", $"No blob '{blob}' in the '{StorageNames.LandingContainer}' container.");
        var fileName = Path.GetFileName(blob);
        var contentType = format == DataFormat.File ? DataFormat.ContentTypeOfFile(fileName) : DataFormat.ContentType(format);
        await using var source = await lake.OpenReadAsync(StorageNames.LandingContainer, blob, ct);
        var upload = new Upload(project, dataset, source, contentType, format, IsSafeFileName(fileName) ? fileName : null,
            $"{StorageNames.LandingContainer}/{blob}", CallerId(request), definition.Label, RespondAsync(request));
        return await AcceptAsync(client, upload, ct);
    }

    private sealed record Upload(string Project, string Dataset, Stream Body, string ContentType, string Format, string? FileName,
        string Source, string? By, string Label, bool RespondAsync);

    private static bool RespondAsync(HttpRequest request) =>
        request.Headers["Prefer"].Any(p => p is not null && p.Contains("respond-async", StringComparison.OrdinalIgnoreCase));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsSafeFileName(string name) =>
        name.Length is > 0 and <= 120 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && !name.StartsWith('.');

    /// <summary>Keeps the bytes in <c>raw</c> exactly as received (streamed, size-limited, hashed), then creates or finds the version.</summary>
    private async Task<IResult> AcceptAsync(DurableTaskClient client, Upload upload, CancellationToken ct)
    {
        var (project, dataset, format) = (upload.Project, upload.Dataset, upload.Format);
        var fileName = upload.FileName ?? DataFormat.FileName(format);
        // Raw blobs are named by arrival, not by version: a duplicate of an existing version is recognised (by its hash)
        // only once all bytes are in, and then is not given a version at all.
        var now = clock.GetUtcNow();
        var rawPath = $"{project}/{dataset}/uploads/{now:yyyyMMdd}/{now:HHmmss}-{Guid.NewGuid():N}/{fileName}";
        var head = new byte[SniffBytes];
        var counting = new HeadCapturingStream(upload.Body, head, uploads.Value.MaxBytes);
        long size;
        try
        {
            size = await lake.UploadAsync(StorageNames.RawContainer, rawPath, counting, upload.ContentType, overwrite: false, ct);
        }
        catch (UploadTooLargeException)
        {
            await lake.DeleteIfExistsAsync(StorageNames.RawContainer, rawPath, CancellationToken.None);
            return Problem(413, "Upload too large", $"The upload exceeds the limit of {uploads.Value.MaxBytes} bytes.");
        }
        var hash = counting.Hash();

        if (await datasetStore.FindByContentHashAsync(project, dataset, hash, ct) is { } existing)
        {
            await lake.DeleteIfExistsAsync(StorageNames.RawContainer, rawPath, ct); // the same bytes are kept under the existing version
            return (await VersionResultAsync(existing, 200, ct, duplicate: true)).WithLocation(VersionUrl(existing));
        }

        var kind = format == DataFormat.File ? DatasetKind.File : DatasetKind.Tabular;
        await datasetStore.UpdateDatasetAsync(project, dataset, current => current ?? DatasetIngestion.NewCatalogEntry(project, dataset, kind, now), ct);
        var version = await datasetStore.AllocateDatasetVersionAsync(project, dataset, ct);
        if (await datasetStore.ClaimContentHashAsync(project, dataset, hash, version, ct) is { } raced
            && await datasetStore.GetDatasetVersionAsync(project, dataset, raced, ct) is { } twin)
        {
            // The same bytes arrived twice at once: the other upload holds them (this version number stays unused).
            await lake.DeleteIfExistsAsync(StorageNames.RawContainer, rawPath, ct);
            return (await VersionResultAsync(twin, 200, ct, duplicate: true)).WithLocation(VersionUrl(twin));
        }
        var info = new DatasetVersionInfo(project, dataset, version, DatasetStatus.Pending, format, upload.ContentType, rawPath,
            null, null, hash, 0, 0, 0, null, now, kind, size, upload.Source, upload.By, upload.FileName);

        if (kind == DatasetKind.File)
        {
            // Unstructured files are kept as-is: the version is their bytes, with what is needed to find and trust them.
            info = info with { Status = DatasetStatus.Ready, ReadyAt = now };
            await lineage.RecordAsync(LineageEdges.Ingested(info), ct);
            await webhooks.PublishAsync(WebhookEvent.DatasetVersionCreated(info, now), ct);
            await datasetStore.PutDatasetVersionAsync(info, ct);
            await datasetStore.UpdateDatasetAsync(project, dataset, current => current! with
            {
                LatestVersion = Math.Max(current.LatestVersion ?? 0, version), Kind = current.LatestVersion is null ? kind : current.Kind, UpdatedAt = now,
            }, ct);
            await dispatcher.TryDispatchAsync(client, ct);
            return (await VersionResultAsync(info, 201, ct)).WithLocation(VersionUrl(info));
        }

        var sniffed = TabularReader.Sniff(head.AsSpan(0, counting.HeadLength), format, complete: size <= counting.HeadLength);
        if (sniffed is null && format == DataFormat.Csv)
        {
            var header = Encoding.UTF8.GetString(head, 0, counting.HeadLength).TrimStart('\uFEFF').Split('\n')[0];
            if (!header.Contains(upload.Label, StringComparison.Ordinal))
                sniffed = $"The label column '{upload.Label}' is not in the header line.";
        }
        if (sniffed is not null)
        {
            info = info with { Status = DatasetStatus.Failed, Error = sniffed };
            await lineage.RecordAsync(LineageEdges.Ingested(info), ct); // the raw bytes stay: their lineage says which version they failed as
            await datasetStore.PutDatasetVersionAsync(info, ct);
            return Results.Problem(detail: sniffed, statusCode: 400, title: "The file cannot be ingested",
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]> { [upload.Source == "upload" ? "body" : "blob"] = [sniffed] },
                    ["rawBlob"] = $"{StorageNames.RawContainer}/{rawPath}", ["version"] = version, ["statusUrl"] = VersionUrl(info),
                });
        }

        await datasetStore.PutDatasetVersionAsync(info, ct);
        var instanceId = $"ingest-{project}-{dataset}-v{version}";
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestionOrchestrator), new IngestionInput(project, dataset, version),
            new StartOrchestrationOptions { InstanceId = instanceId }, ct);
        if (!upload.RespondAsync)
        {
            var deadline = DateTime.UtcNow.AddSeconds(uploads.Value.WaitSeconds);
            while (DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct);
                var current = await datasetStore.GetDatasetVersionAsync(project, dataset, version, ct);
                if (current is null || current.Status == DatasetStatus.Pending) continue;
                if (current.Status == DatasetStatus.Ready) await dispatcher.TryDispatchAsync(client, ct); // dataset.version.created
                return current.Status == DatasetStatus.Ready
                    ? (await VersionResultAsync(current, 201, ct)).WithLocation(VersionUrl(current))
                    : IngestionFailed(current);
            }
        }
        return Results.Json(new { project, dataset, version, status = DatasetStatus.Pending, bytes = size, contentHash = hash, source = upload.Source, ingestionId = instanceId, statusUrl = VersionUrl(info) },
            ProductJson.Options, statusCode: 202).WithLocation(VersionUrl(info));
    }

    private static string VersionUrl(DatasetVersionInfo v) => $"/api/projects/{v.Project}/datasets/{v.Dataset}/versions/{v.Version}";

    /// <summary>422 naming the rows and columns that failed; the raw file stays and the version records why.</summary>
    private static IResult IngestionFailed(DatasetVersionInfo v)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in (v.Problems ?? []).GroupBy(p => p.Column))
            errors[group.Key] = group.Select(p => p.Row > 0 ? $"row {p.Row}: {p.Reason}" : p.Reason).ToArray();
        if (errors.Count == 0) errors["body"] = [v.Error ?? "The file cannot be ingested."];
        return Results.Problem(detail: v.Error, statusCode: 422, title: "The data does not pass the dataset's checks",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = errors, ["version"] = v.Version, ["rawBlob"] = $"{StorageNames.RawContainer}/{v.RawBlob}",
                ["statusUrl"] = VersionUrl(v), ["quarantineUrl"] = v.RowsQuarantined > 0 ? VersionUrl(v) + "/quarantine" : null,
            });
    }

    private async Task<IResult> VersionResultAsync(DatasetVersionInfo v, int status, CancellationToken ct, bool duplicate = false) =>
        Json(await VersionViewAsync(v, duplicate, ct), status);

    private async Task<object> VersionViewAsync(DatasetVersionInfo v, bool duplicate, CancellationToken ct)
    {
        var report = await ingestion.ReadReportAsync(v, ct);
        var usedBy = (await runStore.ListRunsUsingAsync(v.Project, v.Dataset, v.Version, ct))
            .Select(r => new { r.RunId, r.Status, r.ModelVersion, r.CreatedAt, url = $"/api/runs/{r.RunId}" });
        return new
        {
            v.Project, v.Dataset, v.Version, v.Status, v.Kind, v.Format, v.ContentType, v.Bytes, v.ContentHash, v.FileName, v.Source, v.IngestedBy,
            v.RowsIn, v.RowsOut, v.RowsQuarantined, v.Error, v.Problems, v.RawBlob, v.CuratedBlob, v.CreatedAt, v.ReadyAt,
            existing = duplicate ? true : (bool?)null, report, usedBy,
            quarantineUrl = v.RowsQuarantined > 0 ? VersionUrl(v) + "/quarantine" : null,
        };
    }

    /// <summary><c>GET /api/projects/{project}/datasets/{dataset}/versions/{version}</c>: the version, its report and lineage (runs that used it).</summary>
    public async Task<IResult> GetVersionAsync(HttpRequest request, string project, string dataset, int version, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad1) return bad1;
        if (CheckName(dataset, "dataset") is { } bad2) return bad2;
        if (await AccessGate.DemandDataAsync(request.HttpContext, datasetStore, project, dataset, ct) is { } restricted) return restricted;
        var info = await datasetStore.GetDatasetVersionAsync(project, dataset, version, ct);
        return info is null ? Problem(404, "Dataset version not found", $"{project}/{dataset} has no version {version}.") : await VersionResultAsync(info, 200, ct);
    }

    /// <summary><c>GET .../versions/{version}/quarantine</c>: the rejected rows (JSON Lines: row, line, reasons, values as received).</summary>
    public async Task<IResult> GetQuarantineAsync(HttpRequest request, string project, string dataset, int version, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad1) return bad1;
        if (CheckName(dataset, "dataset") is { } bad2) return bad2;
        if (await AccessGate.DemandDataAsync(request.HttpContext, datasetStore, project, dataset, ct) is { } restricted) return restricted;
        if (await datasetStore.GetDatasetVersionAsync(project, dataset, version, ct) is null)
            return Problem(404, "Dataset version not found", $"{project}/{dataset} has no version {version}.");
        var parts = await lake.ListAsync(StorageNames.QuarantineContainer, LakeStore.DatasetPath(project, dataset, version, "part-"), ct);
        parts.Sort(StringComparer.Ordinal);
        return Results.Stream(async output =>
        {
            foreach (var part in parts)
            {
                await using var stream = await lake.OpenReadAsync(StorageNames.QuarantineContainer, part, CancellationToken.None);
                await stream.CopyToAsync(output);
            }
        }, "application/x-ndjson");
    }

    /// <summary><c>GET /api/projects/{project}/datasets/{dataset}</c>: the catalog entry and its versions, oldest first.</summary>
    public async Task<IResult> GetDatasetAsync(HttpRequest request, string project, string dataset, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad1) return bad1;
        if (CheckName(dataset, "dataset") is { } bad2) return bad2;
        var info = await datasetStore.GetDatasetAsync(project, dataset, ct);
        var versions = await datasetStore.ListDatasetVersionsAsync(project, dataset, ct);
        if (info is null && versions.Count == 0) return Problem(404, "Dataset not found", $"Project '{project}' has no dataset '{dataset}'.");
        if (AccessGate.Current(request.HttpContext)?.CanReadData(info) != true)
            // The catalog says the dataset exists and who owns it; its columns, expectations and row counts stay hidden.
            return Json(new
            {
                project, dataset, info?.Owner, info?.Description, tags = info?.Tags ?? [], info?.Kind, info?.LatestVersion, restricted = true, info?.RestrictedTo,
                versions = versions.Select(v => new { v.Version, v.Status, v.CreatedAt }),
            });
        return Json(new
        {
            project, dataset, info?.Owner, info?.Description, tags = info?.Tags ?? [], info?.Kind, info?.LatestVersion, columns = info?.Columns ?? [],
            info?.Expectations, info?.InferredExpectations, info?.CreatedAt, info?.UpdatedAt, restricted = info?.RestrictedTo is { Count: > 0 }, info?.RestrictedTo, versions,
        });
    }


    private sealed record DatasetPatch(string? Owner, string? Description, IReadOnlyList<string>? Tags, DatasetExpectations? Expectations, IReadOnlyList<string>? RestrictedTo);

    /// <summary>
    /// <c>PATCH /api/projects/{project}/datasets/{dataset}</c> <c>{ "owner", "description", "tags", "expectations" }</c>:
    /// fields present replace the current ones; the expectations apply to the versions ingested after.
    /// </summary>
    public async Task<IResult> PatchDatasetAsync(HttpRequest request, string project, string dataset, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad1) return bad1;
        if (CheckName(dataset, "dataset") is { } bad2) return bad2;
        DatasetPatch? patch;
        try { patch = await JsonSerializer.DeserializeAsync<DatasetPatch>(request.Body, ProductJson.Options, ct); }
        catch (JsonException e) { return Invalid(new() { [JsonField(e.Path)] = [$"Invalid JSON: {e.Message}"] }); }
        if (patch is null) return Invalid(new() { ["body"] = ["A JSON object is required."] });
        var errors = ValidatePatch(patch);
        if (errors.Count > 0) return Invalid(errors, $"The changes to dataset '{dataset}' are invalid.");
        if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        var now = clock.GetUtcNow();
        var updated = await datasetStore.UpdateDatasetAsync(project, dataset, current => (current ?? DatasetIngestion.NewCatalogEntry(project, dataset, DatasetKind.Tabular, now)) with
        {
            Owner = patch.Owner ?? current?.Owner,
            Description = patch.Description ?? current?.Description,
            Tags = patch.Tags?.Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList() ?? current?.Tags ?? [],
            Expectations = patch.Expectations ?? current?.Expectations,
            // An empty list lifts the restriction.
            RestrictedTo = patch.RestrictedTo is { } groups ? groups.Select(g => g.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() : current?.RestrictedTo,
            UpdatedAt = now,
        }, ct);
        return Json(updated);
    }

    private static string JsonField(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

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
                if (string.IsNullOrWhiteSpace(restricted[i]) || restricted[i].Length > 256) errors[$"restrictedTo[{i}]"] = ["A group name or id, 1 to 256 characters."];
        if (patch.Expectations is not { } e) return errors;
        if (e.MaxRejectedShare is < 0 or > 1) errors["expectations.maxRejectedShare"] = ["A share between 0 and 1."];
        if (e.Deduplicate is not (null or DeduplicateMode.None or DeduplicateMode.Row or DeduplicateMode.Key))
            errors["expectations.deduplicate"] = ["One of 'none', 'row', 'key'."];
        if (e.Deduplicate == DeduplicateMode.Key && e.Key is not { Count: > 0 })
            errors["expectations.key"] = ["Deduplicating by key needs the key columns."];
        foreach (var (column, c) in e.Columns ?? new Dictionary<string, ColumnExpectation>())
        {
            var field = $"expectations.columns.{column}";
            if (c.Type is { } type && !ColumnType.All.Contains(type)) errors[$"{field}.type"] = [$"One of {string.Join(", ", ColumnType.All)}."];
            if (c.MaxNullShare is < 0 or > 1) errors[$"{field}.maxNullShare"] = ["A share between 0 and 1."];
            if (c.Min is { } min && c.Max is { } max && min > max) errors[$"{field}.min"] = ["The minimum is above the maximum."];
        }
        return errors;
    }

    /// <summary>
    /// <c>GET /api/datasets?q=&amp;column=&amp;tag=&amp;project=</c>: the catalog, searched by name, description, tag and
    /// column name (case-insensitive; all given filters must match).
    /// </summary>
    public async Task<IResult> SearchAsync(HttpRequest request, CancellationToken ct)
    {
        string? Filter(string key) => NullIfEmpty(request.Query[key]);
        var (q, column, tag, project) = (Filter("q"), Filter("column"), Filter("tag"), Filter("project"));
        bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
        var found = Visible(request, await datasetStore.ListDatasetsAsync(ct))
            .Where(d => project is null || d.Project == project)
            .Where(d => q is null || Has(d.Dataset, q) || Has(d.Description, q) || d.Tags.Any(t => Has(t, q)) || d.Columns.Any(c => Has(c, q)))
            .Where(d => column is null || d.Columns.Any(c => Has(c, column)))
            .Where(d => tag is null || d.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(d => d.Project, StringComparer.Ordinal).ThenBy(d => d.Dataset, StringComparer.Ordinal)
            .Select(CatalogView)
            .ToList();
        return Json(new { count = found.Count, datasets = found });
    }

    /// <summary>
    /// The catalog as the caller may see it: datasets of projects it can read; a restricted dataset it may not read
    /// shows that it exists, without its columns (so searching by column does not reveal them either).
    /// </summary>
    private static IEnumerable<DatasetInfo> Visible(HttpRequest request, IEnumerable<DatasetInfo> datasets)
    {
        var access = AccessGate.Current(request.HttpContext);
        return datasets.Where(d => access?.Allows(Permission.Read, d.Project) == true)
            .Select(d => access!.CanReadData(d) ? d : d with { Columns = [] });
    }

    private static object CatalogView(DatasetInfo d) => new
    {
        d.Project, d.Dataset, d.Owner, d.Description, d.Tags, d.Kind, d.LatestVersion, d.Columns, d.UpdatedAt,
        restricted = d.RestrictedTo is { Count: > 0 }, url = $"/api/projects/{d.Project}/datasets/{d.Dataset}",
    };

    /// <summary>
    /// <c>GET /api/datasets/{dataset}</c>: the catalog entries of that name in every project (datasets live in a project,
    /// so a name can appear in more than one), each with where to find its versions.
    /// </summary>
    public async Task<IResult> FindAsync(HttpRequest request, string dataset, CancellationToken ct)
    {
        if (CheckName(dataset, "dataset") is { } bad) return bad;
        var found = Visible(request, await datasetStore.ListDatasetsAsync(ct)).Where(d => d.Dataset == dataset).OrderBy(d => d.Project, StringComparer.Ordinal)
            .Select(CatalogView).ToList();
        return found.Count == 0
            ? Problem(404, "Dataset not found", $"No project has a dataset named '{dataset}'; search with GET /api/datasets?q={dataset}.")
            : Json(new { dataset, count = found.Count, datasets = found });
    }

    /// <summary>
    /// <c>GET .../versions/{version}/diff/{other}</c>: schema changes and per-column distribution shift from
    /// <c>version</c> (the baseline) to <c>other</c>.
    /// </summary>
    public async Task<IResult> DiffAsync(HttpRequest request, string project, string dataset, int version, int other, CancellationToken ct)
    {
        if (CheckName(project, "project") is { } bad1) return bad1;
        if (CheckName(dataset, "dataset") is { } bad2) return bad2;
        if (await AccessGate.DemandDataAsync(request.HttpContext, datasetStore, project, dataset, ct) is { } restricted) return restricted;
        var reports = new List<DataQualityReport>();
        foreach (var v in new[] { version, other })
        {
            var info = await datasetStore.GetDatasetVersionAsync(project, dataset, v, ct);
            if (info is null) return Problem(404, "Dataset version not found", $"{project}/{dataset} has no version {v}.");
            if (info.Status != DatasetStatus.Ready || await ingestion.ReadReportAsync(info, ct) is not { Profiles: not null } report)
                return Problem(409, "Dataset version not comparable", $"Version {v} of {project}/{dataset} is {info.Status}{(info.Kind == DatasetKind.File ? " (a file, not a table)" : "")}: only Ready tabular versions can be compared.");
            reports.Add(report);
        }
        var diff = DatasetDiff.Compare(reports[0].Profiles!, reports[1].Profiles!);
        return Json(new
        {
            project, dataset, baseline = version, current = other,
            rows = new { baseline = reports[0].RowsOut, current = reports[1].RowsOut },
            diff.SchemaChanges, diff.Shifts, diff.ShiftedShare,
        });
    }
}
