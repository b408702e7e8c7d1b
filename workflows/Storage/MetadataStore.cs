using Azure;
using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// The product's metadata in Table storage: projects, dataset versions, runs, trials, model versions, approvals.
/// Every write is keyed, so a retried activity overwrites its own row instead of adding one.
/// </summary>
public sealed class MetadataStore(TableServiceClient tables)
{
    private const string RunsPartition = "run";
    private const string ApprovalsPartition = "approval";
    private const string ProjectsPartition = "project";
    private const string LegacyProductionPointer = "~production";
    private volatile bool _created;

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        if (_created) return;
        foreach (var name in StorageNames.Tables)
            await tables.GetTableClient(name).CreateIfNotExistsAsync(ct);
        _created = true;
    }

    private async Task<TableClient> TableAsync(string name, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct);
        return tables.GetTableClient(name);
    }

    private static async Task<TableEntity?> GetAsync(TableClient table, string pk, string rk, CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    private static T FromJson<T>(TableEntity entity) => Json.Deserialize<T>(entity.GetString("Json"));

    private static TableEntity ToEntity<T>(string pk, string rk, T value) => new(pk, rk) { ["Json"] = Json.Serialize(value) };

    // ---- projects ----

    public async Task PutProjectAsync(ProjectDefinition project, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ProjectsTable, ct);
        await table.UpsertEntityAsync(ToEntity(ProjectsPartition, project.Name, project), TableUpdateMode.Replace, ct);
    }

    public async Task<ProjectDefinition?> GetProjectAsync(string name, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ProjectsTable, ct);
        var entity = await GetAsync(table, ProjectsPartition, name, ct);
        return entity is null ? null : FromJson<ProjectDefinition>(entity) with { Name = name };
    }

    public async Task<List<ProjectDefinition>> ListProjectsAsync(CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ProjectsTable, ct);
        var list = new List<ProjectDefinition>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == ProjectsPartition, cancellationToken: ct))
            list.Add(FromJson<ProjectDefinition>(e) with { Name = e.RowKey });
        return list;
    }

    // ---- datasets ----

    private static string VersionRow(string dataset, int version) => $"{dataset}:v{Names.VersionKey(version)}";

    /// <summary>Allocates the next version number of a dataset (optimistic concurrency on a counter row).</summary>
    public async Task<int> AllocateDatasetVersionAsync(string project, string dataset, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        for (var attempt = 0; ; attempt++)
        {
            var head = await GetAsync(table, project, dataset, ct);
            try
            {
                if (head is null)
                {
                    await table.AddEntityAsync(new TableEntity(project, dataset) { ["NextVersion"] = 2 }, ct);
                    return 1;
                }
                var version = head.GetInt32("NextVersion") ?? 1;
                head["NextVersion"] = version + 1;
                await table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace, ct);
                return version;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Another upload took the number first; read again.
            }
        }
    }

    public async Task PutDatasetVersionAsync(DatasetVersionInfo info, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        var entity = ToEntity(info.Project, VersionRow(info.Dataset, info.Version), info);
        entity["Status"] = info.Status;
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    public async Task<DatasetVersionInfo?> GetDatasetVersionAsync(string project, string dataset, int version, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        var entity = await GetAsync(table, project, VersionRow(dataset, version), ct);
        return entity is null ? null : FromJson<DatasetVersionInfo>(entity);
    }

    /// <summary>Versions of a dataset, oldest first.</summary>
    public async Task<List<DatasetVersionInfo>> ListDatasetVersionsAsync(string project, string dataset, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        var from = $"{dataset}:v";
        var to = $"{dataset}:w";
        var list = new List<DatasetVersionInfo>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == project && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0, cancellationToken: ct))
            list.Add(FromJson<DatasetVersionInfo>(e));
        return list;
    }

    /// <summary>Every dataset version of a project, oldest first per dataset.</summary>
    public async Task<List<DatasetVersionInfo>> ListProjectDatasetVersionsAsync(string project, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        var list = new List<DatasetVersionInfo>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == project, cancellationToken: ct))
            if (e.ContainsKey("Json")) list.Add(FromJson<DatasetVersionInfo>(e));
        return list;
    }

    private static string HashRow(string dataset, string hash) => $"{dataset}:h{hash}";

    /// <summary>The version that holds these bytes (and did not fail), by the content-hash index; null when none.</summary>
    public async Task<DatasetVersionInfo?> FindByContentHashAsync(string project, string dataset, string hash, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        if (await GetAsync(table, project, HashRow(dataset, hash), ct) is not { } row) return null;
        var holder = await GetDatasetVersionAsync(project, dataset, row.GetInt32("Version") ?? 0, ct);
        return holder is { Status: not DatasetStatus.Failed } ? holder : null;
    }

    /// <summary>
    /// Claims <paramref name="hash"/> for <paramref name="version"/>; returns the version that already holds the same
    /// bytes (and is not Failed) instead, so a re-upload does not create a duplicate version.
    /// </summary>
    public async Task<int?> ClaimContentHashAsync(string project, string dataset, string hash, int version, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await GetAsync(table, project, HashRow(dataset, hash), ct);
            try
            {
                if (existing is null)
                {
                    await table.AddEntityAsync(new TableEntity(project, HashRow(dataset, hash)) { ["Version"] = version }, ct);
                    return null;
                }
                var holder = existing.GetInt32("Version") ?? 0;
                var info = await GetDatasetVersionAsync(project, dataset, holder, ct);
                if (info is not null && info.Status != DatasetStatus.Failed) return holder;
                existing["Version"] = version; // the earlier upload of these bytes failed: a new attempt may take the hash
                await table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, ct);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // A concurrent upload of the same bytes: read again.
            }
        }
    }

    /// <summary>The catalog entry of a dataset (kept on its version-counter row), or null.</summary>
    public async Task<DatasetInfo?> GetDatasetAsync(string project, string dataset, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        var entity = await GetAsync(table, project, dataset, ct);
        return entity?.GetString("Catalog") is { } json ? Json.Deserialize<DatasetInfo>(json) : null;
    }

    /// <summary>Creates or changes a dataset's catalog entry with <paramref name="change"/> (optimistic concurrency).</summary>
    public async Task<DatasetInfo> UpdateDatasetAsync(string project, string dataset, Func<DatasetInfo?, DatasetInfo> change, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        for (var attempt = 0; ; attempt++)
        {
            var entity = await GetAsync(table, project, dataset, ct);
            var current = entity?.GetString("Catalog") is { } json ? Json.Deserialize<DatasetInfo>(json) : null;
            var next = change(current);
            try
            {
                if (entity is null)
                    await table.AddEntityAsync(new TableEntity(project, dataset) { ["NextVersion"] = 1, ["Catalog"] = Json.Serialize(next) }, ct);
                else
                {
                    entity["Catalog"] = Json.Serialize(next);
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                }
                return next;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Someone changed the row (a version was allocated, metadata edited): apply the change again.
            }
        }
    }

    /// <summary>Every dataset in the catalog, across projects.</summary>
    public async Task<List<DatasetInfo>> ListDatasetsAsync(CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.DatasetsTable, ct);
        var list = new List<DatasetInfo>();
        await foreach (var e in table.QueryAsync<TableEntity>(select: ["Catalog"], cancellationToken: ct))
            if (e.GetString("Catalog") is { } json) list.Add(Json.Deserialize<DatasetInfo>(json));
        return list;
    }

    /// <summary>Runs of a project that trained on a dataset version (lineage: who used this data).</summary>
    public async Task<List<RunInfo>> ListRunsUsingAsync(string project, string dataset, int version, CancellationToken ct = default) =>
        (await ListRunsAsync(project, ct)).Where(r => r.Dataset == dataset && r.DatasetVersion == version).ToList();

    // ---- runs ----

    public async Task PutRunAsync(RunInfo run, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.RunsTable, ct);
        var entity = ToEntity(RunsPartition, run.RunId, run);
        entity["Project"] = run.Project;
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    public async Task<RunInfo?> GetRunAsync(string runId, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.RunsTable, ct);
        var entity = await GetAsync(table, RunsPartition, runId, ct);
        return entity is null ? null : FromJson<RunInfo>(entity);
    }

    public async Task<List<RunInfo>> ListRunsAsync(string project, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.RunsTable, ct);
        var list = new List<RunInfo>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == RunsPartition && e.GetString("Project") == project, cancellationToken: ct))
            list.Add(FromJson<RunInfo>(e));
        return list.OrderBy(r => r.CreatedAt).ToList();
    }

    // ---- trials ----

    public async Task PutTrialAsync(TrialResult trial, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.TrialsTable, ct);
        await table.UpsertEntityAsync(ToEntity(trial.RunId, trial.TrialId, trial), TableUpdateMode.Replace, ct);
    }

    public async Task<TrialResult?> GetTrialAsync(string runId, string trialId, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.TrialsTable, ct);
        var entity = await GetAsync(table, runId, trialId, ct);
        return entity is null ? null : FromJson<TrialResult>(entity);
    }

    public async Task<List<TrialResult>> ListTrialsAsync(string runId, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.TrialsTable, ct);
        var list = new List<TrialResult>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: ct))
            list.Add(FromJson<TrialResult>(e));
        return list;
    }

    // ---- model versions ----

    public async Task<List<ModelVersionInfo>> ListModelVersionsAsync(string project, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ModelsTable, ct);
        var list = new List<ModelVersionInfo>();
        // Version rows are digits; the environments and their history ('~' rows) sort after them and are not read.
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == project && e.RowKey.CompareTo("~") < 0, cancellationToken: ct))
            list.Add(FromJson<ModelVersionInfo>(e));
        return list.OrderBy(m => m.Version).ToList();
    }

    public async Task<ModelVersionInfo?> GetModelVersionAsync(string project, int version, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ModelsTable, ct);
        var entity = await GetAsync(table, project, Names.VersionKey(version), ct);
        return entity is null ? null : FromJson<ModelVersionInfo>(entity);
    }

    public async Task PutModelVersionAsync(ModelVersionInfo model, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ModelsTable, ct);
        await table.UpsertEntityAsync(ToEntity(model.Project, Names.VersionKey(model.Version), model), TableUpdateMode.Replace, ct);
    }

    private static string EnvironmentRow(string environment) => $"~env:{environment}";
    private static string ChangeRow(string environment, long sequence) => $"~change:{environment}:{sequence:D10}";

    /// <summary>The version currently serving in production, or null.</summary>
    public async Task<int?> GetProductionVersionAsync(string project, CancellationToken ct = default) =>
        (await GetEnvironmentAsync(project, ModelStage.Production, ct)).Version;

    /// <summary>What an environment serves (an empty state when nothing was ever promoted there).</summary>
    public async Task<EnvironmentState> GetEnvironmentAsync(string project, string environment, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ModelsTable, ct);
        var entity = await GetAsync(table, project, EnvironmentRow(environment), ct);
        if (entity is not null) return FromJson<EnvironmentState>(entity);
        // Production was a bare pointer row before environments existed: read it as a state without history.
        if (environment == ModelStage.Production && await GetAsync(table, project, LegacyProductionPointer, ct) is { } legacy)
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
        var table = await TableAsync(StorageNames.ModelsTable, ct);
        for (var attempt = 0; ; attempt++)
        {
            var entity = await GetAsync(table, project, EnvironmentRow(environment), ct);
            var current = entity is not null ? FromJson<EnvironmentState>(entity) : await GetEnvironmentAsync(project, environment, ct);
            if (change(current) is not { } next) return null;
            var sequence = current.Sequence + 1;
            var pointer = ToEntity(project, EnvironmentRow(environment), next.Next with { Sequence = sequence });
            pointer["Version"] = next.Next.Version;
            var record = next.Change with { Sequence = sequence };
            var actions = new List<TableTransactionAction>
            {
                entity is null ? new(TableTransactionActionType.Add, pointer) : new(TableTransactionActionType.UpdateReplace, pointer, entity.ETag),
                new(TableTransactionActionType.Add, ToEntity(project, ChangeRow(environment, sequence), record)),
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
    public async Task RecordDeploymentAttemptAsync(DeploymentChange change, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ModelsTable, ct);
        var key = $"~attempt:{change.Environment}:{change.At.UtcTicks:D19}:{change.RequestId}";
        await table.UpsertEntityAsync(ToEntity(change.Project, key, change), TableUpdateMode.Replace, ct);
    }

    /// <summary>Every change and attempt of a project's environments, oldest first.</summary>
    public async Task<List<DeploymentChange>> ListDeploymentChangesAsync(string project, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ModelsTable, ct);
        var list = new List<DeploymentChange>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == project && e.RowKey.CompareTo("~a") >= 0 && e.RowKey.CompareTo("~d") < 0, cancellationToken: ct))
            list.Add(FromJson<DeploymentChange>(e));
        return list.OrderBy(c => c.At).ThenBy(c => c.Sequence).ToList();
    }

    // ---- approvals ----

    public async Task PutApprovalAsync(ApprovalInfo approval, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ApprovalsTable, ct);
        await table.UpsertEntityAsync(ToEntity(ApprovalsPartition, approval.ApprovalId, approval), TableUpdateMode.Replace, ct);
    }

    public async Task<(ApprovalInfo Approval, ETag ETag)?> GetApprovalAsync(string approvalId, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ApprovalsTable, ct);
        var entity = await GetAsync(table, ApprovalsPartition, approvalId, ct);
        return entity is null ? null : (FromJson<ApprovalInfo>(entity), entity.ETag);
    }

    public async Task<List<ApprovalInfo>> ListApprovalsAsync(CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ApprovalsTable, ct);
        var list = new List<ApprovalInfo>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == ApprovalsPartition, cancellationToken: ct))
            list.Add(FromJson<ApprovalInfo>(e));
        return list;
    }

    /// <summary>Writes a decision only if nobody changed the approval since it was read; false when someone did.</summary>
    public async Task<bool> TryUpdateApprovalAsync(ApprovalInfo approval, ETag etag, CancellationToken ct = default)
    {
        var table = await TableAsync(StorageNames.ApprovalsTable, ct);
        try
        {
            await table.UpdateEntityAsync(ToEntity(ApprovalsPartition, approval.ApprovalId, approval), etag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
