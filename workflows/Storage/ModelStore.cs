using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// Model versions in Table storage (table <c>models</c>, PartitionKey = project, RowKey = the version's digits). The
/// environments and their history share the table in '~' rows, which sort after the versions: see <see cref="DeploymentStore"/>.
/// </summary>
public sealed class ModelStore(TableServiceClient tables)
{
    private readonly JsonTable _table = new(tables, StorageNames.ModelsTable);

    public async Task<List<ModelVersionInfo>> ListModelVersionsAsync(string project, CancellationToken ct = default) =>
        // Version rows are digits; the environments and their history ('~' rows) sort after them and are not read.
        (await _table.QueryAsync<ModelVersionInfo>(e => e.PartitionKey == project && e.RowKey.CompareTo("~") < 0, ct)).OrderBy(m => m.Version).ToList();

    public Task<ModelVersionInfo?> GetModelVersionAsync(string project, int version, CancellationToken ct = default) =>
        _table.GetAsync<ModelVersionInfo>(project, Names.VersionKey(version), ct);

    public Task PutModelVersionAsync(ModelVersionInfo model, CancellationToken ct = default) =>
        _table.UpsertAsync(JsonTable.Row(model.Project, Names.VersionKey(model.Version), model), ct);
}
