using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Lineage;

/// <summary>
/// The lineage graph in Table storage (table <c>lineage</c>). Every edge is written twice: under its source node's
/// partition (row <c>d:{type}:{to}</c>, read going down) and under its target's (row <c>u:{type}:{from}</c>, read going
/// up), so either way one partition query gives a node's edges. Rows are upserts keyed by (from, type, to): recording
/// an edge again — a retried activity — replaces it and never adds one.
/// </summary>
public sealed class LineageStore(TableServiceClient tables, IOptions<LineageOptions> options)
{
    public const string Table = "lineage";
    private const string Down = "d:";
    private const string Up = "u:";
    /// <summary>Keys longer than this (table keys stop at 1 KiB) keep a prefix and a hash of the rest.</summary>
    private const int MaxKeyLength = 480;

    private readonly CreatedTable _table = new(tables, Table);

    private Task<TableClient> TableAsync(CancellationToken ct) => _table.GetAsync(ct);

    /// <summary>
    /// A node as a table key: '/', '\', '#', '?', control characters (not allowed in keys) and '~' (the escape itself)
    /// become <c>~XX</c>, so distinct nodes never share a key; very long ids are shortened with a hash.
    /// </summary>
    public static string KeyOf(LineageNode node)
    {
        var text = new StringBuilder(node.Kind.Length + node.Id.Length + 8).Append(node.Kind).Append(':');
        foreach (var c in node.Id)
        {
            if (c is '/' or '\\' or '#' or '?' or '~' || char.IsControl(c)) text.Append('~').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else text.Append(c);
        }
        if (text.Length <= MaxKeyLength) return text.ToString();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(node.ToString())))[..32];
        return text.ToString(0, MaxKeyLength - 34) + "~h" + hash; // 'h' is no hex digit: never an escape
    }

    private static TableEntity Row(string partition, string rowKey, LineageEdge edge)
    {
        var row = new TableEntity(partition, rowKey)
        {
            ["Type"] = edge.Type, ["FromKind"] = edge.From.Kind, ["FromId"] = edge.From.Id, ["ToKind"] = edge.To.Kind, ["ToId"] = edge.To.Id, ["At"] = edge.At,
        };
        if (edge.Properties is { Count: > 0 } properties) row["Properties"] = Json.Serialize(properties);
        return row;
    }

    private static LineageEdge EdgeOf(TableEntity row) =>
        new(new(row.GetString("FromKind"), row.GetString("FromId")), row.GetString("Type"), new(row.GetString("ToKind"), row.GetString("ToId")),
            row.GetDateTimeOffset("At"),
            row.GetString("Properties") is { } json ? Json.Deserialize<Dictionary<string, string>>(json) : null);

    /// <summary>Records edges (idempotent): both rows of each, one upsert transaction per node partition.</summary>
    public async Task RecordAsync(IEnumerable<LineageEdge> edges, CancellationToken ct = default)
    {
        var rows = new Dictionary<(string Partition, string Row), TableEntity>();
        foreach (var edge in edges)
        {
            var (from, to) = (KeyOf(edge.From), KeyOf(edge.To));
            rows[(from, $"{Down}{edge.Type}:{to}")] = Row(from, $"{Down}{edge.Type}:{to}", edge);
            rows[(to, $"{Up}{edge.Type}:{from}")] = Row(to, $"{Up}{edge.Type}:{from}", edge);
        }
        if (rows.Count == 0) return;
        var table = await TableAsync(ct);
        // A transaction holds one partition (an edge's two rows are in two): the partitions at once, each a round trip.
        await Task.WhenAll(rows.Values.GroupBy(r => r.PartitionKey).Select(async partition =>
        {
            foreach (var batch in partition.Chunk(100)) // a transaction holds at most 100 actions
                await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct);
        }));
    }

    /// <inheritdoc cref="RecordAsync(IEnumerable{LineageEdge}, CancellationToken)"/>
    public Task RecordAsync(LineageEdge edge, CancellationToken ct = default) => RecordAsync([edge], ct);

    /// <summary>A node's edges: leaving it (<see cref="LineageDirection.Down"/>), arriving (<see cref="LineageDirection.Up"/>), or both.</summary>
    public async Task<IReadOnlyList<LineageEdge>> EdgesAsync(LineageNode node, LineageDirection direction, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        var partition = KeyOf(node);
        // Row keys of one direction share a two-character prefix: 'd:' sorts below 'd;', 'u:' below 'u;'.
        var filter = direction switch
        {
            LineageDirection.Down => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {Down} and RowKey lt {"d;"}"),
            LineageDirection.Up => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {Up} and RowKey lt {"u;"}"),
            _ => TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
        };
        var edges = new List<LineageEdge>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            edges.Add(EdgeOf(row));
        return edges;
    }

    /// <summary>True when any edge touches the node.</summary>
    public async Task<bool> ExistsAsync(LineageNode node, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KeyOf(node)}");
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
            return true;
        return false;
    }

    /// <summary>
    /// Breadth-first from <paramref name="start"/>, up to <paramref name="depth"/> edges away (capped at
    /// <see cref="LineageOptions.MaxDepth"/>); null when no edge touches the start node.
    /// </summary>
    public async Task<LineageGraph?> TraverseAsync(LineageNode start, LineageDirection direction, int depth, CancellationToken ct = default)
    {
        if (!await ExistsAsync(start, ct)) return null;
        var limits = options.Value;
        return await LineageTraversal.TraverseAsync(start, direction, Math.Clamp(depth, 0, limits.MaxDepth), limits.MaxNodes, EdgesAsync, ct);
    }
}
