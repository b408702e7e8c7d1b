using Azure.Data.Tables;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// Every metadata table (<see cref="StorageNames.Tables"/>), for the health route: the stores each create their own
/// table on first use, this creates them all at once (once per process).
/// </summary>
public sealed class MetadataTables(TableServiceClient tables)
{
    private readonly CreatedTable[] _tables = [.. StorageNames.Tables.Select(name => new CreatedTable(tables, name))];

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        foreach (var table in _tables) await table.GetAsync(ct);
    }
}
