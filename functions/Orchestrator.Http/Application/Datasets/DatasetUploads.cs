using System.Text;
using Azure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Http.Application.Datasets;

/// <summary>A file uploaded as a new dataset version: its bytes (streamed), media type, declared length and file name, as received.</summary>
public sealed record UploadRequest(Stream Body, string? ContentType, long? ContentLength, string? FileName, string? By, bool RespondAsync);

/// <summary>A file a source system left in the landing container, to ingest like an upload.</summary>
public sealed record LandingRequest(string? Blob);

/// <summary>
/// New dataset versions: a file uploaded, or handed over in the landing container, is kept in <c>raw</c> exactly as
/// received (streamed, size-limited, hashed); the same bytes again are the existing version; otherwise a version is
/// allocated, its lineage recorded, and it is ingested (tables) or catalogued as-is (files). The caller waits for the
/// ingestion up to <see cref="UploadOptions.WaitSeconds"/> unless it asked to respond at once.
/// </summary>
public sealed class DatasetUploads(ProjectStore projectStore, DatasetStore datasetStore, LakeStore lake, LineageStore lineage, DatasetCatalog catalog,
    TimeProvider clock, IOptions<UploadOptions> uploads, WebhookPublisher webhooks, WebhookDispatcher dispatcher)
{
    private const int SniffBytes = 64 * 1024;

    /// <summary>
    /// The body is the file. Tables (CSV, JSON, JSON Lines, Parquet) are ingested; any other content type is an
    /// unstructured file, kept as-is and catalogued. 201 when Ready, 200 for bytes already held, 422 when the data
    /// breaks the checks (naming rows and columns), 202 while still running (or at once when asked).
    /// </summary>
    public async Task<Outcome<UploadView>> UploadAsync(DurableTaskClient client, string project, string dataset, UploadRequest request, CancellationToken ct)
    {
        if (DatasetCatalog.CheckNames(project, dataset) is { } bad) return bad;
        var format = DataFormat.FromContentType(request.ContentType);
        if (format is null)
            return new Failure(OutcomeKind.UnsupportedMediaType, "Unsupported content type", $"Content-Type '{request.ContentType}' is not accepted; send text/csv, application/json, application/x-ndjson, application/vnd.apache.parquet, or the media type of a file (image/png, application/pdf …).");
        if (request.ContentLength > uploads.Value.MaxBytes)
            return new Failure(OutcomeKind.TooLarge, "Upload too large", $"The upload is {request.ContentLength} bytes; the limit is {uploads.Value.MaxBytes}.");
        var name = request.FileName ?? "";
        if (name.Length > 0 && !IsSafeFileName(name))
            return Failure.Invalid("name", $"'{name}' is not a plain file name (letters, digits, '.', '-', '_', up to 120 characters).");
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return Failure.ProjectNotFound(project);
        var upload = new Upload(project, dataset, request.Body, request.ContentType!, format, name.Length > 0 ? name : null, "upload",
            request.By, definition.Label, request.RespondAsync);
        return await AcceptAsync(client, upload, ct);
    }

    /// <summary>
    /// A source system that writes to the <c>landing</c> container, under the project's name, hands a file over without
    /// HTTP; it is copied to <c>raw</c> inside storage (read once, for its hash) and ingested like an upload. The format comes from the extension (.csv, .json, .jsonl,
    /// .parquet; any other is an unstructured file).
    /// </summary>
    public async Task<Outcome<UploadView>> IngestFromLandingAsync(DurableTaskClient client, string project, string dataset, LandingRequest request,
        string? by, bool respondAsync, CancellationToken ct)
    {
        if (DatasetCatalog.CheckNames(project, dataset) is { } bad) return bad;
        var blob = request.Blob;
        if (string.IsNullOrWhiteSpace(blob) || blob.Length > 512 || blob.StartsWith('/') || blob.Split('/').Any(part => part is "" or "." or ".."))
            return Failure.Invalid("blob", "A path inside the landing container, without empty, '.' or '..' segments.");
        // The landing container is shared; each project reads only its own hand-overs, under its name.
        if (!blob.StartsWith(project + "/", StringComparison.Ordinal))
            return Failure.Invalid("blob", $"A path under '{project}/' in the landing container: a project ingests only the files handed over to it.");
        var format = DataFormat.FromFileName(blob);
        if (format is null) return Failure.Invalid("blob", $"'{blob}' has no extension to tell its format (.csv, .json, .jsonl, .parquet, .png …).");
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return Failure.ProjectNotFound(project);
        if (!await lake.ExistsAsync(StorageNames.LandingContainer, blob, ct))
            return Failure.NotFound("Blob not found", $"No blob '{blob}' in the '{StorageNames.LandingContainer}' container.");
        var fileName = Path.GetFileName(blob);
        var contentType = format == DataFormat.File ? DataFormat.ContentTypeOfFile(fileName) : DataFormat.ContentType(format);
        var upload = new Upload(project, dataset, Stream.Null, contentType, format, IsSafeFileName(fileName) ? fileName : null,
            $"{StorageNames.LandingContainer}/{blob}", by, definition.Label, respondAsync, LandingBlob: blob);
        return await AcceptAsync(client, upload, ct);
    }

    /// <summary>
    /// What arrived: a body, or a hand-over (<c>LandingBlob</c>, its path in the landing container: copied to raw inside
    /// storage and read only for its hash and first bytes).
    /// </summary>
    private sealed record Upload(string Project, string Dataset, Stream Body, string ContentType, string Format, string? FileName,
        string Source, string? By, string Label, bool RespondAsync, string? LandingBlob = null);

    /// <summary>
    /// Keeps the bytes in raw: a body streamed through (size-limited, hashed), or a landing blob copied inside storage
    /// while the same version of it is read for its hash and first bytes (the server no longer writes it back).
    /// </summary>
    private async Task<Outcome<(long Size, string Hash, int HeadLength)>> KeepRawAsync(Upload upload, string rawPath, byte[] head, CancellationToken ct)
    {
        var max = uploads.Value.MaxBytes;
        if (upload.LandingBlob is { } landing)
        {
            var (length, version) = await lake.PropertiesAsync(StorageNames.LandingContainer, landing, ct);
            if (length > max)
                return new Failure(OutcomeKind.TooLarge, "Upload too large", $"The blob is {length} bytes; the limit is {max}.");
            HeadCapturingStream? reading = null;
            try
            {
                var copied = await lake.CopyWhileReadingAsync(StorageNames.LandingContainer, landing, version, StorageNames.RawContainer, rawPath, upload.ContentType,
                    async stream =>
                    {
                        reading = new HeadCapturingStream(stream, head, max);
                        await reading.CopyToAsync(Stream.Null, ct);
                    }, ct);
                return Outcome<(long, string, int)>.Ok((copied, reading!.Hash(), reading.HeadLength));
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                await lake.DeleteIfExistsAsync(StorageNames.RawContainer, rawPath, CancellationToken.None);
                return Failure.Conflict("The blob changed", $"'{landing}' was written to while it was handed over; hand it over again once it is complete.");
            }
        }
        var counting = new HeadCapturingStream(upload.Body, head, max);
        try
        {
            var size = await lake.UploadAsync(StorageNames.RawContainer, rawPath, counting, upload.ContentType, overwrite: false, ct);
            return Outcome<(long, string, int)>.Ok((size, counting.Hash(), counting.HeadLength));
        }
        catch (UploadTooLargeException)
        {
            await lake.DeleteIfExistsAsync(StorageNames.RawContainer, rawPath, CancellationToken.None);
            return new Failure(OutcomeKind.TooLarge, "Upload too large", $"The upload exceeds the limit of {max} bytes.");
        }
    }

    private static bool IsSafeFileName(string name) =>
        name.Length is > 0 and <= 120 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && !name.StartsWith('.');

    /// <summary>Keeps the bytes in <c>raw</c> exactly as received (streamed, size-limited, hashed), then creates or finds the version.</summary>
    private async Task<Outcome<UploadView>> AcceptAsync(DurableTaskClient client, Upload upload, CancellationToken ct)
    {
        var (project, dataset, format) = (upload.Project, upload.Dataset, upload.Format);
        var fileName = upload.FileName ?? DataFormat.FileName(format);
        // Raw blobs are named by arrival, not by version: a duplicate of an existing version is recognised (by its hash)
        // only once all bytes are in, and then is not given a version at all.
        var now = clock.GetUtcNow();
        var rawPath = $"{project}/{dataset}/uploads/{now:yyyyMMdd}/{now:HHmmss}-{Guid.NewGuid():N}/{fileName}";
        var head = new byte[SniffBytes];
        var kept = await KeepRawAsync(upload, rawPath, head, ct);
        if (kept.Failure is { } failed) return failed;
        var (size, hash, headLength) = kept.Value!;

        if (await datasetStore.FindByContentHashAsync(project, dataset, hash, ct) is { } existing)
        {
            await lake.DeleteIfExistsAsync(StorageNames.RawContainer, rawPath, ct); // the same bytes are kept under the existing version
            return await ExistingAsync(existing, ct);
        }

        var kind = format == DataFormat.File ? DatasetKind.File : DatasetKind.Tabular;
        await datasetStore.UpdateDatasetAsync(project, dataset, current => current ?? DatasetIngestion.NewCatalogEntry(project, dataset, kind, now), ct);
        var version = await datasetStore.AllocateDatasetVersionAsync(project, dataset, ct);
        if (await datasetStore.ClaimContentHashAsync(project, dataset, hash, version, ct) is { } raced
            && await datasetStore.GetDatasetVersionAsync(project, dataset, raced, ct) is { } twin)
        {
            // The same bytes arrived twice at once: the other upload holds them (this version number stays unused).
            await lake.DeleteIfExistsAsync(StorageNames.RawContainer, rawPath, ct);
            return await ExistingAsync(twin, ct);
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
            return Outcome<UploadView>.Created(await catalog.VersionViewAsync(info, duplicate: false, ct), DatasetUrls.Version(info));
        }

        if (Sniff(upload, head, headLength, size) is { } sniffed)
        {
            info = info with { Status = DatasetStatus.Failed, Error = sniffed };
            await lineage.RecordAsync(LineageEdges.Ingested(info), ct); // the raw bytes stay: their lineage says which version they failed as
            await datasetStore.PutDatasetVersionAsync(info, ct);
            return new Failure(OutcomeKind.Invalid, "The file cannot be ingested", sniffed,
                new Dictionary<string, string[]> { [upload.Source == "upload" ? "body" : "blob"] = [sniffed] },
                new Dictionary<string, object?> { ["rawBlob"] = $"{StorageNames.RawContainer}/{rawPath}", ["version"] = version, ["statusUrl"] = DatasetUrls.Version(info) });
        }

        await datasetStore.PutDatasetVersionAsync(info, ct);
        var ingestion = new IngestionInput(project, dataset, version);
        var instanceId = InstanceIds.DatasetIngestion(ingestion);
        // One ingestion per version: a run started on it at once may have claimed it first, and then curates it itself.
        if (await datasetStore.ClaimIngestionAsync(project, dataset, version, ct))
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestionOrchestrator), ingestion, new StartOrchestrationOptions { InstanceId = instanceId }, ct);
        if (!upload.RespondAsync && await WaitAsync(client, info, ct) is { } decided) return decided;
        return Outcome<UploadView>.Accepted(
            new PendingUploadView(project, dataset, version, DatasetStatus.Pending, size, hash, upload.Source, instanceId, DatasetUrls.Version(info)),
            DatasetUrls.Version(info));
    }

    private async Task<Outcome<UploadView>> ExistingAsync(DatasetVersionInfo existing, CancellationToken ct) =>
        Outcome<UploadView>.Ok(await catalog.VersionViewAsync(existing, duplicate: true, ct), DatasetUrls.Version(existing));

    /// <summary>Why the first bytes cannot be ingested (not the format, no label column in a CSV header), or null.</summary>
    private static string? Sniff(Upload upload, byte[] head, int headLength, long size)
    {
        var sniffed = TabularReader.Sniff(head.AsSpan(0, headLength), upload.Format, complete: size <= headLength);
        if (sniffed is not null || upload.Format != DataFormat.Csv) return sniffed;
        var header = Encoding.UTF8.GetString(head, 0, headLength).TrimStart('\uFEFF').Split('\n')[0];
        return header.Contains(upload.Label, StringComparison.Ordinal) ? null : $"The label column '{upload.Label}' is not in the header line.";
    }

    /// <summary>Waits up to <see cref="UploadOptions.WaitSeconds"/> for the ingestion: the version when Ready, 422 when it failed, null while still running.</summary>
    private async Task<Outcome<UploadView>?> WaitAsync(DurableTaskClient client, DatasetVersionInfo info, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(uploads.Value.WaitSeconds);
        while (DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
        {
            await Task.Delay(100, ct);
            var current = await datasetStore.GetDatasetVersionAsync(info.Project, info.Dataset, info.Version, ct);
            if (current is null || current.Status == DatasetStatus.Pending) continue;
            if (current.Status != DatasetStatus.Ready) return IngestionFailed(current);
            await dispatcher.TryDispatchAsync(client, ct); // dataset.version.created
            return Outcome<UploadView>.Created(await catalog.VersionViewAsync(current, duplicate: false, ct), DatasetUrls.Version(current));
        }
        return null;
    }

    /// <summary>422 naming the rows and columns that failed; the raw file stays and the version records why.</summary>
    private static Failure IngestionFailed(DatasetVersionInfo v)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in (v.Problems ?? []).GroupBy(p => p.Column))
            errors[group.Key] = group.Select(p => p.Row > 0 ? $"row {p.Row}: {p.Reason}" : p.Reason).ToArray();
        if (errors.Count == 0) errors["body"] = [v.Error ?? "The file cannot be ingested."];
        return new Failure(OutcomeKind.Unprocessable, "The data does not pass the dataset's checks", v.Error ?? errors.First().Value[0], errors,
            new Dictionary<string, object?>
            {
                ["version"] = v.Version, ["rawBlob"] = $"{StorageNames.RawContainer}/{v.RawBlob}",
                ["statusUrl"] = DatasetUrls.Version(v), ["quarantineUrl"] = DatasetUrls.Quarantine(v),
            });
    }
}
