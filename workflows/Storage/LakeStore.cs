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
