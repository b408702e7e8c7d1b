using Azure;
using Azure.Data.Tables;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Security;

/// <summary>
/// A grant: <paramref name="Principal"/> (a user's id, <c>app:{id}</c>, or <c>group:{name}</c>) holds <paramref name="Role"/>
/// in <paramref name="Project"/> (or <c>*</c>) and <paramref name="Environment"/> (<c>staging</c>, <c>production</c> or <c>*</c>).
/// </summary>
public sealed record AccessGrant(string Principal, string Role, string Project, string Environment, string? GrantedBy = null, DateTimeOffset? GrantedAt = null)
{
    public const string Any = "*";

    /// <summary>True when the grant covers the project (null: some project) and the environment (null: some environment).</summary>
    public bool Covers(string? project, string? environment) =>
        (Project == Any || project is null || string.Equals(Project, project, StringComparison.Ordinal)) &&
        (Environment == Any || environment is null || string.Equals(Environment, environment, StringComparison.Ordinal));
}

/// <summary>
/// Grants in Table storage (<c>access</c>: PartitionKey = principal, RowKey = <c>{role}|{project}|{environment}</c>, so
/// granting twice is one row). Reads come from a snapshot refreshed every few seconds — every request checks access,
/// and grants change rarely; a change made through this process is visible at once.
/// </summary>
public sealed class AccessStore(TableServiceClient tables, TimeProvider clock) : IDisposable
{
    public const string TableName = "access";
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly CreatedTable _table = new(tables, TableName);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(ILookup<string, AccessGrant> ByPrincipal, IReadOnlyList<AccessGrant> All, DateTimeOffset LoadedAt);

    private Task<TableClient> TableAsync(CancellationToken ct) => _table.GetAsync(ct);

    private async Task<Snapshot> SnapshotAsync(CancellationToken ct)
    {
        if (_snapshot is { } current && clock.GetUtcNow() - current.LoadedAt < Refresh) return current;
        await _loading.WaitAsync(ct);
        try
        {
            if (_snapshot is { } fresh && clock.GetUtcNow() - fresh.LoadedAt < Refresh) return fresh;
            var table = await TableAsync(ct);
            var all = new List<AccessGrant>();
            await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: ct)) all.Add(FromEntity(row));
            var snapshot = new Snapshot(all.ToLookup(g => g.Principal, StringComparer.OrdinalIgnoreCase), all, clock.GetUtcNow());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>The grants naming any of <paramref name="principals"/>.</summary>
    public async Task<IReadOnlyList<AccessGrant>> GrantsForAsync(IEnumerable<string> principals, CancellationToken ct = default)
    {
        var snapshot = await SnapshotAsync(ct);
        return principals.SelectMany(p => snapshot.ByPrincipal[p]).ToList();
    }

    /// <summary>Every grant, optionally of one principal or project.</summary>
    public async Task<IReadOnlyList<AccessGrant>> ListAsync(string? principal, string? project, CancellationToken ct = default)
    {
        _snapshot = null; // an administrator listing grants sees the table, not a snapshot
        var snapshot = await SnapshotAsync(ct);
        return snapshot.All.Where(g => (principal is null || string.Equals(g.Principal, principal, StringComparison.OrdinalIgnoreCase))
            && (project is null || g.Project == project)).OrderBy(g => g.Principal).ThenBy(g => g.Role).ToList();
    }

    /// <summary>Adds a grant; false when it already existed (then nothing changes).</summary>
    public async Task<bool> GrantAsync(AccessGrant grant, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        try
        {
            await table.AddEntityAsync(ToEntity(grant), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
        finally
        {
            _snapshot = null;
        }
    }

    /// <summary>Removes a grant; false when there was none.</summary>
    public async Task<bool> RevokeAsync(string principal, string role, string project, string environment, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        var (pk, rk) = (principal.ToLowerInvariant(), RowKey(role, project, environment));
        // Deleting a missing entity succeeds in Table storage: look first, so a second revoke answers 404.
        if (!(await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct)).HasValue) return false;
        await table.DeleteEntityAsync(pk, rk, ETag.All, ct);
        _snapshot = null;
        return true;
    }

    private static string RowKey(string role, string project, string environment) => $"{role}|{project}|{environment}";

    private static TableEntity ToEntity(AccessGrant g) => new(g.Principal.ToLowerInvariant(), RowKey(g.Role, g.Project, g.Environment))
    {
        ["GrantedBy"] = g.GrantedBy, ["GrantedAt"] = g.GrantedAt,
    };

    private static AccessGrant FromEntity(TableEntity e)
    {
        var parts = e.RowKey.Split('|');
        return new AccessGrant(e.PartitionKey, parts[0], parts[1], parts[2], e.GetString("GrantedBy"), e.GetDateTimeOffset("GrantedAt"));
    }

    public void Dispose() => _loading.Dispose();
}
