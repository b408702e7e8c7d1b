using System.Text;

namespace Orchestrator.Workflows.Lineage;

/// <summary>
/// Breadth-first traversal of the lineage graph over a function that returns a node's edges in one direction (storage
/// in production, a list in tests). Each node is visited once (cycle-safe), at most <c>depth</c> edges from the start
/// and at most <c>maxNodes</c> nodes per direction; <see cref="LineageDirection.Both"/> is the union of the upstream and the
/// downstream walk from the start (not every node's whole neighbourhood, which would reach the entire component).
/// </summary>
public static class LineageTraversal
{
    /// <summary>How many nodes' edges are fetched at once within a level.</summary>
    private const int Parallelism = 16;

    /// <summary>A node's edges in one direction: <see cref="LineageDirection.Down"/> those leaving it, <see cref="LineageDirection.Up"/> those arriving.</summary>
    public delegate Task<IReadOnlyList<LineageEdge>> EdgesOf(LineageNode node, LineageDirection direction, CancellationToken ct);

    public static async Task<LineageGraph> TraverseAsync(LineageNode root, LineageDirection direction, int depth, int maxNodes, EdgesOf edgesOf, CancellationToken ct = default)
    {
        depth = Math.Max(0, depth);
        maxNodes = Math.Max(1, maxNodes);
        if (direction != LineageDirection.Both)
        {
            var (nodes, edges, truncated) = await WalkAsync(root, direction, depth, maxNodes, edgesOf, ct);
            return Graph(root, direction, depth, nodes, edges, truncated);
        }
        var up = await WalkAsync(root, LineageDirection.Up, depth, maxNodes, edgesOf, ct);
        var down = await WalkAsync(root, LineageDirection.Down, depth, maxNodes, edgesOf, ct);
        var merged = new Dictionary<LineageNode, int>(up.Nodes);
        foreach (var (node, distance) in down.Nodes)
            merged[node] = merged.TryGetValue(node, out var seen) ? Math.Min(seen, distance) : distance;
        var keys = new HashSet<string>();
        var all = up.Edges.Concat(down.Edges).Where(e => keys.Add(e.Key)).ToList();
        return Graph(root, direction, depth, merged, all, up.Truncated || down.Truncated);
    }

    private static LineageGraph Graph(LineageNode root, LineageDirection direction, int depth, IReadOnlyDictionary<LineageNode, int> nodes, IReadOnlyList<LineageEdge> edges, bool truncated) =>
        new(root, direction, depth,
            nodes.OrderBy(n => n.Value).ThenBy(n => LineageKind.Order(n.Key.Kind)).ThenBy(n => n.Key.Id, StringComparer.Ordinal)
                .Select(n => new LineageNodeAt(n.Key, n.Value)).ToList(),
            edges, truncated);

    private static async Task<(Dictionary<LineageNode, int> Nodes, List<LineageEdge> Edges, bool Truncated)> WalkAsync(
        LineageNode root, LineageDirection direction, int depth, int maxNodes, EdgesOf edgesOf, CancellationToken ct)
    {
        var distance = new Dictionary<LineageNode, int> { [root] = 0 };
        var edges = new List<LineageEdge>();
        var keys = new HashSet<string>();
        var truncated = false;
        var frontier = new List<LineageNode> { root };
        for (var level = 1; level <= depth && frontier.Count > 0; level++)
        {
            var next = new List<LineageNode>();
            foreach (var batch in frontier.Chunk(Parallelism))
            {
                var found = await Task.WhenAll(batch.Select(node => edgesOf(node, direction, ct)));
                // Sorted so the same graph always gives the same answer, whatever order storage returns.
                foreach (var edge in found.SelectMany(list => list.OrderBy(e => e.Type, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal)))
                {
                    var other = direction == LineageDirection.Down ? edge.To : edge.From;
                    if (!distance.ContainsKey(other))
                    {
                        if (distance.Count >= maxNodes)
                        {
                            truncated = true;
                            continue;
                        }
                        distance[other] = level;
                        next.Add(other);
                    }
                    if (keys.Add(edge.Key)) edges.Add(edge);
                }
            }
            frontier = next;
        }
        return (distance, edges, truncated);
    }
}

/// <summary>Renders a lineage graph as a Mermaid flowchart (left to right, the start node outlined), for docs and reviews.</summary>
public static class LineageMermaid
{
    public static string Render(LineageGraph graph)
    {
        var text = new StringBuilder("flowchart LR\n");
        var ids = new Dictionary<LineageNode, string>();
        foreach (var (node, _) in graph.Nodes)
        {
            var id = $"n{ids.Count}";
            ids[node] = id;
            text.Append($"  {id}[\"{Escape(node.Kind)}<br/>{Escape(node.Id)}\"]");
            text.Append(node == graph.Root ? ":::root\n" : "\n");
        }
        foreach (var edge in graph.Edges)
        {
            if (ids.TryGetValue(edge.From, out var from) && ids.TryGetValue(edge.To, out var to))
                text.Append($"  {from} -->|{edge.Type}| {to}\n");
        }
        text.Append("  classDef root stroke-width:3px\n");
        return text.ToString();
    }

    /// <summary>Mermaid entity codes for what would end a quoted label or read as markup.</summary>
    private static string Escape(string value) =>
        value.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("<", "#lt;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal);
}
