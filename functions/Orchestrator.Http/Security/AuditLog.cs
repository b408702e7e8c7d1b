using Azure.Data.Tables;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Security;

/// <summary>One audited action: who (and with which role), what, on what, when, how it went, from where.</summary>
public sealed record AuditEntry(
    string Id, DateTimeOffset At, string Actor, string? Role, string Action, string Target, string? Project,
    string Outcome, int Status, string? CorrelationId, string? ClientIp, string? Detail = null, int Count = 1);

/// <summary>
/// The append-only audit log in Table storage (<c>audit</c>: PartitionKey = UTC day <c>yyyyMMdd</c>, RowKey = time ticks
/// and a random suffix). Entries are only ever added (<c>AddEntity</c>, never upsert); no route updates or deletes them.
/// The one exception is failed logins: one row per minute, source address and reason counts them
/// (<see cref="CountLoginFailureAsync"/>), so a flood of bad tokens cannot bury the real entries of a query.
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
        await table.AddEntityAsync(Entity($"{at:yyyyMMdd}", rowKey, stored), ct);
        return stored;
    }

    /// <summary>
    /// Counts a failed login in the row of its minute, source address and reason (added the first time, its count
    /// raised after), with the latest occurrence's target and correlation id.
    /// </summary>
    public async Task CountLoginFailureAsync(AuditEntry failure, CancellationToken ct = default)
    {
        var at = failure.At.ToUniversalTime();
        var minute = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
        var source = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{failure.ClientIp}\n{failure.Detail}")))[..16];
        var rowKey = $"{minute.UtcTicks:D19}-{source}";
        var table = await TableAsync(ct);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>($"{minute:yyyyMMdd}", rowKey, cancellationToken: ct);
            if (!existing.HasValue)
            {
                try
                {
                    await table.AddEntityAsync(Entity($"{minute:yyyyMMdd}", rowKey, failure with { At = minute }), ct);
                    return;
                }
                catch (Azure.RequestFailedException e) when (e.Status == 409) { continue; } // another request counted the first one
            }
            var row = existing.Value!;
            row["Count"] = (row.GetInt32("Count") ?? 1) + 1;
            (row["Target"], row["CorrelationId"]) = (failure.Target, failure.CorrelationId);
            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412) { } // counted meanwhile: read again
        }
    }

    private static TableEntity Entity(string partition, string rowKey, AuditEntry e) => new(partition, rowKey)
    {
        ["At"] = e.At, ["Actor"] = e.Actor, ["Role"] = e.Role, ["Action"] = e.Action, ["Target"] = e.Target,
        ["Project"] = e.Project, ["Outcome"] = e.Outcome, ["Status"] = e.Status, ["CorrelationId"] = e.CorrelationId,
        ["ClientIp"] = e.ClientIp, ["Detail"] = e.Detail, ["Count"] = e.Count,
    };

    /// <summary>
    /// Entries from <paramref name="from"/> to <paramref name="to"/>, newest first (or oldest first), at most
    /// <paramref name="limit"/>, optionally for one actor and for targets starting with <paramref name="target"/>
    /// (<c>projects/weather</c> matches everything under that project).
    /// </summary>
    public async Task<List<AuditEntry>> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? target, string? actor, string? action, int limit,
        bool oldestFirst = false, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        var result = new List<AuditEntry>();
        var days = new List<DateTime>();
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime.Date; day = day.AddDays(1)) days.Add(day);
        if (!oldestFirst) days.Reverse();
        foreach (var day in days)
        {
            if (result.Count >= limit) break;
            var partition = day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and At ge {from} and At le {to}");
            if (actor is not null) filter += " and " + TableClient.CreateQueryFilter($"Actor eq {actor}");
            if (action is not null) filter += " and " + TableClient.CreateQueryFilter($"Action eq {action}");
            if (target is not null) filter += " and " + TableClient.CreateQueryFilter($"Target ge {target} and Target lt {target + '\uffff'}");
            var entries = new List<AuditEntry>();
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                entries.Add(new AuditEntry($"{e.PartitionKey}.{e.RowKey}", e.GetDateTimeOffset("At")!.Value, e.GetString("Actor"), e.GetString("Role"),
                    e.GetString("Action"), e.GetString("Target"), e.GetString("Project"), e.GetString("Outcome"), e.GetInt32("Status") ?? 0,
                    e.GetString("CorrelationId"), e.GetString("ClientIp"), e.GetString("Detail"), e.GetInt32("Count") ?? 1));
                if (oldestFirst && entries.Count >= limit - result.Count) break;
            }
            // A day's rows come in time order; newest first reads the whole day (bounded by a day's entries) and turns it round.
            if (!oldestFirst) entries.Reverse();
            result.AddRange(entries.Take(limit - result.Count));
        }
        return result;
    }
}
