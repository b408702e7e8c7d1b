using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>Runs in Table storage (table <c>runs</c>, PartitionKey <c>run</c>, RowKey = run id, with a <c>Project</c> column).</summary>
public sealed class RunStore(TableServiceClient tables)
{
    private const string RunsPartition = "run";
    private readonly JsonTable _table = new(tables, StorageNames.RunsTable);

    public Task PutRunAsync(RunInfo run, CancellationToken ct = default)
    {
        var entity = JsonTable.Row(RunsPartition, run.RunId, run);
        entity["Project"] = run.Project;
        return _table.UpsertAsync(entity, ct);
    }

    public Task<RunInfo?> GetRunAsync(string runId, CancellationToken ct = default) => _table.GetAsync<RunInfo>(RunsPartition, runId, ct);

    public async Task<List<RunInfo>> ListRunsAsync(string project, CancellationToken ct = default) =>
        (await _table.QueryAsync<RunInfo>(e => e.PartitionKey == RunsPartition && e.GetString("Project") == project, ct)).OrderBy(r => r.CreatedAt).ToList();

    /// <summary>Runs of a project that trained on a dataset version (lineage: who used this data).</summary>
    public async Task<List<RunInfo>> ListRunsUsingAsync(string project, string dataset, int version, CancellationToken ct = default) =>
        (await ListRunsAsync(project, ct)).Where(r => r.Dataset == dataset && r.DatasetVersion == version).ToList();
}
