using System.Globalization;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Lineage;

/// <summary>
/// What of a lineage graph a caller may see: nodes of projects it cannot read are left out with their edges (the graph
/// spans projects: a model of one project can be trained on another's data only through its runs, but ids name them);
/// nodes that come from a dataset restricted from it — its sources, raw files, versions, the runs and trials on it,
/// the models they registered — stay as nodes, and the edges that touch them lose their details (who, content hashes).
/// </summary>
public sealed class LineageVisibility(RunStore runStore, ModelStore modelStore, DataRights rights)
{
    /// <summary>The graph as the caller may see it, or null when it may not see the root itself.</summary>
    public async Task<LineageGraph?> VisibleAsync(LineageGraph graph, AccessContext? access, CancellationToken ct)
    {
        var reader = rights.For(access);
        var origins = new Dictionary<LineageNode, (string? Project, string? Dataset)>();
        foreach (var node in graph.Nodes.Select(n => n.Node)) origins[node] = await OriginOfAsync(node, ct);
        // A source or deployment names no dataset of its own: it takes its neighbour's (the raw file, the model version).
        foreach (var edge in graph.Edges)
            foreach (var (node, other) in new[] { (edge.From, edge.To), (edge.To, edge.From) })
                if (origins.TryGetValue(node, out var mine) && origins.TryGetValue(other, out var theirs) && theirs.Project == (mine.Project ?? theirs.Project))
                    origins[node] = (theirs.Project, mine.Dataset ?? theirs.Dataset);

        var hidden = new HashSet<LineageNode>();
        var restricted = new HashSet<LineageNode>();
        foreach (var (node, (project, dataset)) in origins)
        {
            if (project is null || access?.Allows(Permission.Read, project) != true) hidden.Add(node);
            else if (dataset is not null && !await reader.MayReadAsync(project, dataset, ct)) restricted.Add(node);
        }
        if (hidden.Contains(graph.Root)) return null;
        return graph with
        {
            Nodes = graph.Nodes.Where(n => !hidden.Contains(n.Node)).ToList(),
            Edges = graph.Edges.Where(e => !hidden.Contains(e.From) && !hidden.Contains(e.To))
                .Select(e => restricted.Contains(e.From) || restricted.Contains(e.To) ? e with { Properties = null } : e)
                .ToList(),
        };
    }

    /// <summary>The project and dataset a node comes from, as far as its id (and the run or model it names) tells.</summary>
    private async Task<(string? Project, string? Dataset)> OriginOfAsync(LineageNode node, CancellationToken ct)
    {
        var parts = node.Id.Split('/');
        switch (node.Kind)
        {
            case LineageKind.DatasetVersion or LineageKind.Raw when parts.Length >= 3:
                return (parts[0], parts[1]);
            case LineageKind.Source when parts.Length >= 4 && parts[0] == "upload":
                return (parts[1], parts[2]);
            case LineageKind.Source when parts.Length >= 2 && parts[0] == StorageNames.LandingContainer:
                return (parts[1], null);
            case LineageKind.Run or LineageKind.Trial:
                var runId = node.Kind == LineageKind.Trial && node.Id.LastIndexOf('.') is var dot and > 0 ? node.Id[..dot] : node.Id;
                return Names.IsValidId(runId) && await runStore.GetRunAsync(runId, ct) is { } run ? (run.Project, run.Dataset) : (null, null);
            case LineageKind.ModelVersion when parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version):
                return Names.IsValidName(parts[0]) && await modelStore.GetModelVersionAsync(parts[0], version, ct) is { } model
                    ? (model.Project, model.Dataset) : (parts[0], null);
            case LineageKind.Deployment or LineageKind.MonitoringReport or LineageKind.Batch when parts.Length >= 2:
                return (parts[0], null);
            default:
                return (null, null);
        }
    }
}
