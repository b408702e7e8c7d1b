using Azure.Data.Tables;

namespace Orchestrator.Workflows.Storage;

/// <summary>A table a service owns, created on first use: once per process, not once per call.</summary>
public sealed class CreatedTable(TableServiceClient tables, string name)
{
    private volatile bool _created;

    /// <summary>The table's client, after making sure the table exists.</summary>
    public async Task<TableClient> GetAsync(CancellationToken ct)
    {
        var table = tables.GetTableClient(name);
        if (!_created)
        {
            await table.CreateIfNotExistsAsync(ct);
            _created = true;
        }
        return table;
    }
}
