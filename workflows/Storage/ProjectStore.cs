using Azure.Data.Tables;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Storage;

/// <summary>Project definitions in Table storage (table <c>projects</c>, PartitionKey <c>project</c>, RowKey = name).</summary>
public sealed class ProjectStore(TableServiceClient tables)
{
    private const string ProjectsPartition = "project";
    private readonly JsonTable _table = new(tables, StorageNames.ProjectsTable);

    public Task PutProjectAsync(ProjectDefinition project, CancellationToken ct = default) =>
        _table.UpsertAsync(JsonTable.Row(ProjectsPartition, project.Name, project), ct);

    public async Task<ProjectDefinition?> GetProjectAsync(string name, CancellationToken ct = default) =>
        await _table.GetAsync<ProjectDefinition>(ProjectsPartition, name, ct) is { } project ? project with { Name = name } : null;

    public async Task<List<ProjectDefinition>> ListProjectsAsync(CancellationToken ct = default)
    {
        var table = await _table.ClientAsync(ct);
        var list = new List<ProjectDefinition>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == ProjectsPartition, cancellationToken: ct))
            list.Add(JsonTable.Read<ProjectDefinition>(e) with { Name = e.RowKey });
        return list;
    }
}
