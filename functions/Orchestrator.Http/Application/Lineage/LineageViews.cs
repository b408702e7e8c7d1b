using Orchestrator.Workflows.Lineage;

namespace Orchestrator.Http.Application.Lineage;

/// <summary>A node the traversal reached: how many edges from the start, and where the API shows what it stands for (null when nowhere).</summary>
public sealed record LineageNodeView(string Kind, string Id, int Distance, string? Url)
{
    public static LineageNodeView Of(LineageNodeAt n) => new(n.Node.Kind, n.Node.Id, n.Distance, UrlOf(n.Node));

    /// <summary>Where the API shows the thing a node stands for (null for kinds with no route of their own).</summary>
    public static string? UrlOf(LineageNode node)
    {
        var parts = node.Id.Split('/');
        return node.Kind switch
        {
            LineageKind.DatasetVersion when parts.Length == 3 => $"/api/projects/{parts[0]}/datasets/{parts[1]}/versions/{parts[2]}",
            LineageKind.Run => $"/api/runs/{node.Id}",
            LineageKind.Trial => $"/api/trials/{node.Id}",
            LineageKind.ModelVersion or LineageKind.Deployment when parts.Length >= 2 => $"/api/projects/{parts[0]}/models",
            LineageKind.MonitoringReport when parts.Length == 2 => $"/api/projects/{parts[0]}/monitoring",
            LineageKind.Batch when parts.Length == 2 => $"/api/batches/{parts[1]}",
            _ => null,
        };
    }
}

/// <summary>An edge between two nodes of the graph: its type (read "from TYPE to"), when it was recorded, and its properties (empty when none).</summary>
public sealed record LineageEdgeView(LineageNode From, string Type, LineageNode To, DateTimeOffset? At, IReadOnlyDictionary<string, string> Properties)
{
    public static LineageEdgeView Of(LineageEdge e) => new(e.From, e.Type, e.To, e.At, e.Properties ?? new Dictionary<string, string>());
}

/// <summary>The lineage graph around a node: the walk asked for, the nodes (the start first) and the edges; truncated when the node limit was hit.</summary>
public sealed record LineageView(LineageNode Root, LineageDirection Direction, int Depth, bool Truncated, IReadOnlyList<LineageNodeView> Nodes,
    IReadOnlyList<LineageEdgeView> Edges)
{
    public static LineageView Of(LineageGraph graph) =>
        new(graph.Root, graph.Direction, graph.Depth, graph.Truncated, graph.Nodes.Select(LineageNodeView.Of).ToList(), graph.Edges.Select(LineageEdgeView.Of).ToList());
}

/// <summary>A lineage query's answer in the format asked for: the graph (JSON), or its Mermaid flowchart. Exactly one is set.</summary>
public sealed record LineageAnswer(LineageView? Graph, string? Mermaid);
