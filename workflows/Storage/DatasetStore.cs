using Azure;
using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// The dataset catalog in Table storage (table <c>datasets</c>, PartitionKey = project). Per dataset: a head row
/// (RowKey = dataset) with the version counter (<c>NextVersion</c>) and the catalog entry (<c>Catalog</c>); its versions
/// (RowKey <c>{dataset}:v{version}</c>); the content-hash index (RowKey <c>{dataset}:h{hash}</c>, the version that
/// holds those bytes); and the ingestion claims (RowKey <c>{dataset}:i{version}</c>, one per version whose curation was started).
/// </summary>
public sealed class DatasetStore(TableServiceClient tables)
{
    private readonly JsonTable _table = new(tables, StorageNames.DatasetsTable);

    private static string VersionRow(string dataset, int version) => $"{dataset}:v{Names.VersionKey(version)}";

    private static string HashRow(string dataset, string hash) => $"{dataset}:h{hash}";

    // ---- versions ----

    /// <summary>Allocates the next version number of a dataset (optimistic concurrency on a counter row).</summary>
    public async Task<int> AllocateDatasetVersionAsync(string project, string dataset, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var head = await JsonTable.FindAsync(table, project, dataset, ct);
            try
            {
                if (head is null)
                {
                    await table.AddEntityAsync(new TableEntity(project, dataset) { ["NextVersion"] = 2 }, ct);
                    return 1;
                }
                var version = head.GetInt32("NextVersion") ?? 1;
                head["NextVersion"] = version + 1;
                await table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace, ct);
                return version;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Another upload took the number first; read again.
            }
        }
    }

    public Task PutDatasetVersionAsync(DatasetVersionInfo info, CancellationToken ct = default)
    {
        var entity = JsonTable.Row(info.Project, VersionRow(info.Dataset, info.Version), info);
        entity["Status"] = info.Status;
        return _table.UpsertAsync(entity, ct);
    }

    public Task<DatasetVersionInfo?> GetDatasetVersionAsync(string project, string dataset, int version, CancellationToken ct = default) =>
        _table.GetAsync<DatasetVersionInfo>(project, VersionRow(dataset, version), ct);

    /// <summary>Versions of a dataset, oldest first.</summary>
    public Task<List<DatasetVersionInfo>> ListDatasetVersionsAsync(string project, string dataset, CancellationToken ct = default)
    {
        var from = $"{dataset}:v";
        var to = $"{dataset}:w";
        return _table.QueryAsync<DatasetVersionInfo>(e => e.PartitionKey == project && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0, ct);
    }

    /// <summary>Every dataset version of a project, oldest first per dataset.</summary>
    public async Task<List<DatasetVersionInfo>> ListProjectDatasetVersionsAsync(string project, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        var list = new List<DatasetVersionInfo>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == project, cancellationToken: ct))
            if (JsonTable.HasRecord(e)) list.Add(JsonTable.Read<DatasetVersionInfo>(e));
        return list;
    }

    // ---- ingestion claims ----

    private static string IngestionRow(string dataset, int version) => $"{dataset}:i{Names.VersionKey(version)}";

    /// <summary>
    /// Claims the ingestion of a version: true for the first caller (it starts the ingestion), false for every later
    /// one (an ingestion of that version was already started), so a version is curated once whoever asks first.
    /// </summary>
    public async Task<bool> ClaimIngestionAsync(string project, string dataset, int version, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        try
        {
            await table.AddEntityAsync(new TableEntity(project, IngestionRow(dataset, version)), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    // ---- content-hash index ----

    /// <summary>The version that holds these bytes (and did not fail), by the content-hash index; null when none.</summary>
    public async Task<DatasetVersionInfo?> FindByContentHashAsync(string project, string dataset, string hash, CancellationToken ct = default)
    {
        if (await _table.FindAsync(project, HashRow(dataset, hash), ct) is not { } row) return null;
        var holder = await GetDatasetVersionAsync(project, dataset, row.GetInt32("Version") ?? 0, ct);
        return holder is { Status: not DatasetStatus.Failed } ? holder : null;
    }

    /// <summary>
    /// Claims <paramref name="hash"/> for <paramref name="version"/>; returns the version that already holds the same
    /// bytes (and is not Failed) instead, so a re-upload does not create a duplicate version.
    /// </summary>
    public async Task<int?> ClaimContentHashAsync(string project, string dataset, string hash, int version, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await JsonTable.FindAsync(table, project, HashRow(dataset, hash), ct);
            try
            {
                if (existing is null)
                {
                    await table.AddEntityAsync(new TableEntity(project, HashRow(dataset, hash)) { ["Version"] = version }, ct);
                    return null;
                }
                var holder = existing.GetInt32("Version") ?? 0;
                var info = await GetDatasetVersionAsync(project, dataset, holder, ct);
                if (info is not null && info.Status != DatasetStatus.Failed) return holder;
                existing["Version"] = version; // the earlier upload of these bytes failed: a new attempt may take the hash
                await table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, ct);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // A concurrent upload of the same bytes: read again.
            }
        }
    }

    // ---- catalog entries ----

    private static DatasetInfo? CatalogOf(TableEntity? head) => head?.GetString("Catalog") is { } json ? Json.Deserialize<DatasetInfo>(json) : null;

    /// <summary>The catalog entry of a dataset (kept on its version-counter row), or null.</summary>
    public async Task<DatasetInfo?> GetDatasetAsync(string project, string dataset, CancellationToken ct = default) =>
        CatalogOf(await _table.FindAsync(project, dataset, ct));

    /// <summary>Creates or changes a dataset's catalog entry with <paramref name="change"/> (optimistic concurrency).</summary>
    public async Task<DatasetInfo> UpdateDatasetAsync(string project, string dataset, Func<DatasetInfo?, DatasetInfo> change, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var entity = await JsonTable.FindAsync(table, project, dataset, ct);
            var next = change(CatalogOf(entity));
            try
            {
                if (entity is null)
                    await table.AddEntityAsync(new TableEntity(project, dataset) { ["NextVersion"] = 1, ["Catalog"] = Json.Serialize(next) }, ct);
                else
                {
                    entity["Catalog"] = Json.Serialize(next);
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                }
                return next;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Someone changed the row (a version was allocated, metadata edited): apply the change again.
            }
        }
    }

    /// <summary>Every dataset in the catalog, across projects.</summary>
    public async Task<List<DatasetInfo>> ListDatasetsAsync(CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        var list = new List<DatasetInfo>();
        await foreach (var e in table.QueryAsync<TableEntity>(select: ["Catalog"], cancellationToken: ct))
            if (CatalogOf(e) is { } info) list.Add(info);
        return list;
    }
}
