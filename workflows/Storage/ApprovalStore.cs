using Azure;
using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>Approvals in Table storage (table <c>approvals</c>, PartitionKey <c>approval</c>, RowKey = approval id).</summary>
public sealed class ApprovalStore(TableServiceClient tables)
{
    private const string ApprovalsPartition = "approval";
    private readonly JsonTable _table = new(tables, StorageNames.ApprovalsTable);

    /// <summary>An approval and the ETag to change it with (<see cref="TryUpdateApprovalAsync"/>), or null.</summary>
    public async Task<(ApprovalInfo Approval, ETag ETag)?> GetApprovalAsync(string approvalId, CancellationToken ct = default)
    {
        var entity = await _table.FindAsync(ApprovalsPartition, approvalId, ct);
        return entity is null ? null : (JsonTable.Read<ApprovalInfo>(entity), entity.ETag);
    }

    public Task<List<ApprovalInfo>> ListApprovalsAsync(CancellationToken ct = default) =>
        _table.QueryAsync<ApprovalInfo>(e => e.PartitionKey == ApprovalsPartition, ct);

    public Task PutApprovalAsync(ApprovalInfo approval, CancellationToken ct = default) =>
        _table.UpsertAsync(JsonTable.Row(ApprovalsPartition, approval.ApprovalId, approval), ct);

    /// <summary>Writes a decision only if nobody changed the approval since it was read; false when someone did.</summary>
    public async Task<bool> TryUpdateApprovalAsync(ApprovalInfo approval, ETag etag, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        try
        {
            await table.UpdateEntityAsync(JsonTable.Row(ApprovalsPartition, approval.ApprovalId, approval), etag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
