using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// What each environment serves and how it came to: table <c>models</c>, PartitionKey = project, in '~' rows after the
/// model versions (<see cref="ModelStore"/>): the environment (RowKey <c>~env:{environment}</c>), each change
/// (<c>~change:{environment}:{sequence}</c>) and each attempt that switched nothing (<c>~attempt:…</c>).
/// </summary>
public sealed class DeploymentStore(TableServiceClient tables)
{
    private const string LegacyProductionPointer = "~production";
    private readonly JsonTable _table = new(tables, StorageNames.ModelsTable);

    private static string EnvironmentRow(string environment) => $"~env:{environment}";
    private static string ChangeRow(string environment, long sequence) => $"~change:{environment}:{sequence:D10}";

    /// <summary>The version currently serving in production, or null.</summary>
    public async Task<int?> GetProductionVersionAsync(string project, CancellationToken ct = default) =>
        (await GetEnvironmentAsync(project, DeploymentEnvironment.Production, ct)).Version;

    /// <summary>What an environment serves (an empty state when nothing was ever promoted there).</summary>
    public async Task<EnvironmentState> GetEnvironmentAsync(string project, string environment, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        var entity = await JsonTable.FindAsync(table, project, EnvironmentRow(environment), ct);
        if (entity is not null) return JsonTable.Read<EnvironmentState>(entity);
        // Production was a bare pointer row before environments existed: read it as a state without history.
        if (environment == DeploymentEnvironment.Production && await JsonTable.FindAsync(table, project, LegacyProductionPointer, ct) is { } legacy)
            return new EnvironmentState(environment, legacy.GetInt32("Version"), [], 0);
        return new EnvironmentState(environment, null, [], 0);
    }

    /// <summary>
    /// Changes an environment and appends the change to its history in one entity-group transaction (both rows share
    /// the project's partition): either both are written or neither. <paramref name="change"/> sees the current state
    /// and returns the next one with the change, or null to change nothing. A concurrent change makes it re-read and retry.
    /// </summary>
    public async Task<DeploymentChange?> ChangeEnvironmentAsync(string project, string environment,
        Func<EnvironmentState, (EnvironmentState Next, DeploymentChange Change)?> change, CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var entity = await JsonTable.FindAsync(table, project, EnvironmentRow(environment), ct);
            var current = entity is not null ? JsonTable.Read<EnvironmentState>(entity) : await GetEnvironmentAsync(project, environment, ct);
            if (change(current) is not { } next) return null;
            var sequence = current.Sequence + 1;
            var pointer = JsonTable.Row(project, EnvironmentRow(environment), next.Next with { Sequence = sequence });
            pointer["Version"] = next.Next.Version;
            var record = next.Change with { Sequence = sequence };
            var actions = new List<TableTransactionAction>
            {
                entity is null ? new(TableTransactionActionType.Add, pointer) : new(TableTransactionActionType.UpdateReplace, pointer, entity.ETag),
                new(TableTransactionActionType.Add, JsonTable.Row(project, ChangeRow(environment, sequence), record)),
            };
            try
            {
                await table.SubmitTransactionAsync(actions, ct);
                return record;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Someone changed the environment first: decide again on what is there now.
            }
        }
    }

    /// <summary>Appends a change that did not switch anything (e.g. a failed smoke test), for the record.</summary>
    public Task RecordDeploymentAttemptAsync(DeploymentChange change, CancellationToken ct = default)
    {
        var key = $"~attempt:{change.Environment}:{change.At.UtcTicks:D19}:{change.RequestId}";
        return _table.UpsertAsync(JsonTable.Row(change.Project, key, change), ct);
    }

    /// <summary>Every change and attempt of a project's environments, oldest first.</summary>
    public async Task<List<DeploymentChange>> ListDeploymentChangesAsync(string project, CancellationToken ct = default) =>
        (await _table.QueryAsync<DeploymentChange>(e => e.PartitionKey == project && e.RowKey.CompareTo("~a") >= 0 && e.RowKey.CompareTo("~d") < 0, ct))
            .OrderBy(c => c.At).ThenBy(c => c.Sequence).ToList();
}
