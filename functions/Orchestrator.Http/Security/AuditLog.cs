using Azure.Data.Tables;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Security;

/// <summary>One audited action: who (and with which role), what, on what, when, how it went, from where.</summary>
public sealed record AuditEntry(
    string Id, DateTimeOffset At, string Actor, string? Role, string Action, string Target, string? Project,
    string Outcome, int Status, string? CorrelationId, string? ClientIp, string? Detail = null);

/// <summary>
/// The append-only audit log in Table storage (<c>audit</c>: PartitionKey = UTC day <c>yyyyMMdd</c>, RowKey = time ticks
/// and a random suffix). Entries are only ever added (<c>AddEntity</c>, never upsert); no route updates or deletes them.
/// </summary>
public sealed class AuditLog(TableServiceClient tables)
{
    public const string TableName = "audit";

    /// <summary>The widest window one query reads (days); older or wider asks are cut to it.</summary>
    public const int MaxDays = 92;

    private readonly CreatedTable _table = new(tables, TableName);


    private Task<TableClient> TableAsync(CancellationToken ct) => _table.GetAsync(ct);

    /// <summary>Appends an entry (its id is set here).</summary>
    public async Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken ct = default)
    {
        var at = entry.At.ToUniversalTime();
        var rowKey = $"{at.UtcTicks:D19}-{Guid.NewGuid().ToString("N")[..8]}";
        var stored = entry with { Id = $"{at:yyyyMMdd}.{rowKey}", At = at };
        var table = await TableAsync(ct);
        await table.AddEntityAsync(new TableEntity($"{at:yyyyMMdd}", rowKey)
        {
            ["At"] = at, ["Actor"] = stored.Actor, ["Role"] = stored.Role, ["Action"] = stored.Action, ["Target"] = stored.Target,
            ["Project"] = stored.Project, ["Outcome"] = stored.Outcome, ["Status"] = stored.Status, ["CorrelationId"] = stored.CorrelationId,
            ["ClientIp"] = stored.ClientIp, ["Detail"] = stored.Detail,
        }, ct);
        return stored;
    }

    /// <summary>
    /// Entries from <paramref name="from"/> to <paramref name="to"/>, oldest first, optionally for one actor and for targets
    /// starting with <paramref name="target"/> (<c>projects/weather</c> matches everything under that project).
    /// </summary>
    public async Task<List<AuditEntry>> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? target, string? actor, string? action, int limit, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        var result = new List<AuditEntry>();
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime.Date && result.Count < limit; day = day.AddDays(1))
        {
            var partition = day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and At ge {from} and At le {to}");
            if (actor is not null) filter += " and " + TableClient.CreateQueryFilter($"Actor eq {actor}");
            if (action is not null) filter += " and " + TableClient.CreateQueryFilter($"Action eq {action}");
            if (target is not null) filter += " and " + TableClient.CreateQueryFilter($"Target ge {target} and Target lt {target + '\uffff'}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                result.Add(new AuditEntry($"{e.PartitionKey}.{e.RowKey}", e.GetDateTimeOffset("At")!.Value, e.GetString("Actor"), e.GetString("Role"),
                    e.GetString("Action"), e.GetString("Target"), e.GetString("Project"), e.GetString("Outcome"), e.GetInt32("Status") ?? 0,
                    e.GetString("CorrelationId"), e.GetString("ClientIp"), e.GetString("Detail")));
                if (result.Count >= limit) break;
            }
        }
        return result;
    }
}
