using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>Trials of runs in Table storage (table <c>trials</c>, PartitionKey = run id, RowKey = trial id).</summary>
public sealed class TrialStore(TableServiceClient tables)
{
    private readonly JsonTable _table = new(tables, StorageNames.TrialsTable);

    public Task PutTrialAsync(TrialResult trial, CancellationToken ct = default) =>
        _table.UpsertAsync(JsonTable.Row(trial.RunId, trial.TrialId, trial), ct);

    public Task<TrialResult?> GetTrialAsync(string runId, string trialId, CancellationToken ct = default) =>
        _table.GetAsync<TrialResult>(runId, trialId, ct);

    public Task<List<TrialResult>> ListTrialsAsync(string runId, CancellationToken ct = default) =>
        _table.QueryAsync<TrialResult>(e => e.PartitionKey == runId, ct);
}
