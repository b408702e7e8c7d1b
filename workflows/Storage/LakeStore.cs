using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Orchestrator.Workflows.Storage;

/// <summary>Blob storage of the lake zones and artifacts. Paths are <c>{project}/{dataset}/{version}/...</c>.</summary>
public sealed class LakeStore(BlobServiceClient blobs)
{
    private volatile bool _created;

    /// <summary>Creates the containers if missing (idempotent).</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        if (_created) return;
        foreach (var name in StorageNames.Containers)
            await blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: ct);
        _created = true;
    }

    public static string DatasetPath(string project, string dataset, int version, string file) =>
        $"{Names.Require(project, "project")}/{Names.Require(dataset, "dataset")}/v{version}/{file}";

    public BlobClient Blob(string container, string path) => blobs.GetBlobContainerClient(container).GetBlobClient(path);

    /// <summary>Streams <paramref name="content"/> into a blob; never buffers the whole body.</summary>
    public async Task<long> UploadAsync(string container, string path, Stream content, string contentType, bool overwrite, CancellationToken ct = default)
    {
        await EnsureCreatedAsync(ct);
        var blob = Blob(container, path);
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
        if (!overwrite) options.Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        await blob.UploadAsync(content, options, ct);
        var props = await blob.GetPropertiesAsync(cancellationToken: ct);
        return props.Value.ContentLength;
    }

    /// <summary>
    /// Copies a blob to another container inside storage — no byte passes through this process — while
    /// <paramref name="read"/> reads the same blob. Both are conditioned on the source's ETag, so what is read is what is
    /// copied (a source changed meanwhile fails with 412). The destination must not exist; it gets <paramref name="contentType"/>.
    /// </summary>
    /// <returns>The copy's length, which is the source's.</returns>
    public async Task<long> CopyWhileReadingAsync(string fromContainer, string fromPath, ETag version, string toContainer, string toPath, string contentType,
        Func<Stream, Task> read, CancellationToken ct = default)
    {
        await EnsureCreatedAsync(ct);
        var (source, target) = (Blob(fromContainer, fromPath), Blob(toContainer, toPath));
        var copied = CopyAsync();
        // Both awaited whatever either does, so no failure goes unseen; the copy's comes first.
        await Task.WhenAll(copied, ReadAsync());
        return await copied;

        async Task ReadAsync()
        {
            await using var stream = await source.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
            {
                Conditions = new BlobRequestConditions { IfMatch = version },
            }, ct);
            await read(stream);
        }

        async Task<long> CopyAsync()
        {
            var copy = await target.StartCopyFromUriAsync(source.Uri, new BlobCopyFromUriOptions
            {
                SourceConditions = new BlobRequestConditions { IfMatch = version },
                DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
            // Within one account the copy is usually done at once (always on Azurite); a large one on Azure may be pending.
            await copy.WaitForCompletionAsync(TimeSpan.FromSeconds(1), ct);
            var copiedBlob = (await target.GetPropertiesAsync(cancellationToken: ct)).Value;
            if (copiedBlob.BlobCopyStatus != CopyStatus.Success)
                throw new InvalidOperationException($"Storage did not copy {fromContainer}/{fromPath}: {copiedBlob.BlobCopyStatus} ({copiedBlob.CopyStatusDescription}).");
            await target.SetHttpHeadersAsync(new BlobHttpHeaders { ContentType = contentType }, cancellationToken: ct);
            return copiedBlob.ContentLength;
        }
    }

    /// <summary>A blob's length and the ETag of its current version.</summary>
    public async Task<(long Length, ETag Version)> PropertiesAsync(string container, string path, CancellationToken ct = default)
    {
        var properties = (await Blob(container, path).GetPropertiesAsync(cancellationToken: ct)).Value;
        return (properties.ContentLength, properties.ETag);
    }

    public async Task UploadBytesAsync(string container, string path, byte[] content, string contentType, CancellationToken ct = default)
    {
        using var stream = new MemoryStream(content, writable: false);
        await UploadAsync(container, path, stream, contentType, overwrite: true, ct);
    }

    public async Task<Stream> OpenReadAsync(string container, string path, CancellationToken ct = default) =>
        await Blob(container, path).OpenReadAsync(cancellationToken: ct);

    public async Task<byte[]> DownloadBytesAsync(string container, string path, CancellationToken ct = default) =>
        (await Blob(container, path).DownloadContentAsync(ct)).Value.Content.ToArray();

    /// <summary>Deletes a blob the pipeline wrote itself (never raw data).</summary>
    public async Task DeleteIfExistsAsync(string container, string path, CancellationToken ct = default) =>
        await Blob(container, path).DeleteIfExistsAsync(cancellationToken: ct);

    public async Task<bool> ExistsAsync(string container, string path, CancellationToken ct = default) =>
        (await Blob(container, path).ExistsAsync(ct)).Value;

    /// <summary>Names of the blobs under <paramref name="prefix"/>.</summary>
    public async Task<List<string>> ListAsync(string container, string prefix, CancellationToken ct = default)
    {
        await EnsureCreatedAsync(ct);
        var names = new List<string>();
        await foreach (var item in blobs.GetBlobContainerClient(container).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
            names.Add(item.Name);
        return names;
    }
}
