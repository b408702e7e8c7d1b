using Orchestrator.Http.Security;

namespace Orchestrator.Http.Application.Audit;

/// <summary>The entries of the audit log between two times, newest first (or oldest first when asked).</summary>
public sealed record AuditView(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AuditEntry> Entries);

/// <summary>The append-only audit log, queried by target, actor, action and time.</summary>
public sealed class AuditQueries(AuditLog audit, TimeProvider clock)
{
    private const int DefaultLimit = 500;
    private const int MaxLimit = 5000;

    /// <summary>
    /// Entries from <paramref name="from"/> to <paramref name="to"/> (ISO 8601; default: the 7 days up to now, at most
    /// <see cref="AuditLog.MaxDays"/> apart), of one target, actor and action when given, at most <paramref name="limit"/>
    /// (default 500, up to 5000), newest first unless <paramref name="order"/> is <c>oldest</c> — so the limit keeps the
    /// latest entries.
    /// </summary>
    public async Task<Outcome<AuditView>> QueryAsync(string? target, string? actor, string? action, string? from, string? to, string? limit,
        string? order, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        const string Example = "An ISO 8601 time, e.g. 2026-11-27T10:00:00Z.";
        var end = Checks.Time(to, "to", errors, Example) ?? clock.GetUtcNow();
        var start = Checks.Time(from, "from", errors, Example) ?? end.AddDays(-7);
        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out count) || count is < 1 or > MaxLimit)) errors["limit"] = [$"1 to {MaxLimit}."];
        if (start > end) errors["from"] = ["Must not be after 'to'."];
        if ((end - start).TotalDays > AuditLog.MaxDays) errors["from"] = [$"At most {AuditLog.MaxDays} days between 'from' and 'to'."];
        if (order is not (null or "" or "newest" or "oldest")) errors["order"] = ["newest (the default: the latest entries first) or oldest."];
        if (errors.Count > 0) return Failure.Invalid(errors);
        var entries = await audit.QueryAsync(start, end, NullIfEmpty(target), NullIfEmpty(actor)?.ToLowerInvariant(), NullIfEmpty(action), count,
            oldestFirst: order == "oldest", ct);
        return Outcome<AuditView>.Ok(new AuditView(start, end, entries));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
