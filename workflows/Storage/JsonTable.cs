using System.Linq.Expressions;
using Azure.Data.Tables;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// One metadata table as the stores use it: created on first use (once per process), each record a row whose
/// <c>Json</c> column holds it.
/// </summary>
internal sealed class JsonTable(TableServiceClient tables, string name)
{
    private const string JsonColumn = "Json";
    private readonly CreatedTable _table = new(tables, name);

    /// <summary>The table's client, after making sure the table exists.</summary>
    public Task<TableClient> ClientAsync(CancellationToken ct) => _table.GetAsync(ct);

    public static async Task<TableEntity?> FindAsync(TableClient table, string pk, string rk, CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>A row, or null.</summary>
    public async Task<TableEntity?> FindAsync(string pk, string rk, CancellationToken ct) => await FindAsync(await ClientAsync(ct), pk, rk, ct);

    /// <summary>The record of a row, or null.</summary>
    public async Task<T?> GetAsync<T>(string pk, string rk, CancellationToken ct) where T : class =>
        await FindAsync(pk, rk, ct) is { } entity ? Read<T>(entity) : null;

    /// <summary>Writes a row (replacing the one with its keys).</summary>
    public async Task UpsertAsync(TableEntity entity, CancellationToken ct)
    {
        var table = await ClientAsync(ct);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    /// <summary>The records of the rows that match <paramref name="filter"/>, in table order.</summary>
    public async Task<List<T>> QueryAsync<T>(Expression<Func<TableEntity, bool>> filter, CancellationToken ct)
    {
        var table = await ClientAsync(ct);
        var list = new List<T>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            list.Add(Read<T>(e));
        return list;
    }

    public static bool HasRecord(TableEntity entity) => entity.ContainsKey(JsonColumn);

    public static T Read<T>(TableEntity entity) => Json.Deserialize<T>(entity.GetString(JsonColumn));

    public static TableEntity Row<T>(string pk, string rk, T value) => new(pk, rk) { [JsonColumn] = Json.Serialize(value) };
}
