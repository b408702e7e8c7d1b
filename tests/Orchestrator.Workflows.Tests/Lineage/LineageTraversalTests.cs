using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Tests.Lineage;

public sealed class LineageTraversalTests
{
    private static readonly LineageNode Source = new(LineageKind.Source, "landing/erp/weather.csv");
    private static readonly LineageNode Raw = new(LineageKind.Raw, "weather/daily/uploads/20261126/101500-abc/weather.csv");
    private static readonly LineageNode Data = LineageNode.DatasetVersion("weather", "daily", 1);
    private static readonly LineageNode Run = LineageNode.Run("run-1");
    private static readonly LineageNode Trial = LineageNode.Trial("run-1", "t001");
    private static readonly LineageNode Model = LineageNode.ModelVersion("weather", 1);
    private static readonly LineageNode Deployment = LineageNode.Deployment("weather", "production", 1);

    private static readonly LineageEdge[] Chain =
    [
        new(Source, LineageEdgeType.IngestedAs, Raw), new(Raw, LineageEdgeType.CuratedTo, Data), new(Data, LineageEdgeType.TrainedIn, Run),
        new(Run, LineageEdgeType.Produced, Trial), new(Trial, LineageEdgeType.RegisteredAs, Model), new(Model, LineageEdgeType.DeployedAs, Deployment),
    ];

    /// <summary>Edges from a list, as the store answers them; counts the calls.</summary>
    private sealed class Graph(params LineageEdge[] edges)
    {
        public int Calls;

        public Task<IReadOnlyList<LineageEdge>> EdgesOf(LineageNode node, LineageDirection direction, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            IReadOnlyList<LineageEdge> found = edges.Where(e => direction == LineageDirection.Down ? e.From == node : e.To == node).ToList();
            return Task.FromResult(found);
        }
    }

    private static Task<LineageGraph> TraverseAsync(LineageNode start, LineageDirection direction, int depth = 10, int maxNodes = 100, params LineageEdge[] edges) =>
        LineageTraversal.TraverseAsync(start, direction, depth, maxNodes, new Graph(edges.Length > 0 ? edges : Chain).EdgesOf);

    [Fact]
    public async Task TraverseAsync_UpFromDeployment_ReachesTheDataAndSourceInOrder()
    {
        var graph = await TraverseAsync(Deployment, LineageDirection.Up);

        Assert.Equal([Deployment, Model, Trial, Run, Data, Raw, Source], graph.Nodes.Select(n => n.Node));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], graph.Nodes.Select(n => n.Distance));
        Assert.Equal(6, graph.Edges.Count);
        Assert.False(graph.Truncated);
    }

    [Fact]
    public async Task TraverseAsync_DownFromDatasetVersion_ReachesModelNotUpstream()
    {
        var graph = await TraverseAsync(Data, LineageDirection.Down);

        Assert.Equal([Data, Run, Trial, Model, Deployment], graph.Nodes.Select(n => n.Node));
        Assert.DoesNotContain(graph.Nodes, n => n.Node == Raw);
    }

    [Fact]
    public async Task TraverseAsync_DepthLimit_StopsThatManyEdgesAway()
    {
        var graph = await TraverseAsync(Deployment, LineageDirection.Up, depth: 2);

        Assert.Equal([Deployment, Model, Trial], graph.Nodes.Select(n => n.Node));
        Assert.Equal([LineageEdgeType.DeployedAs, LineageEdgeType.RegisteredAs], graph.Edges.Select(e => e.Type));
    }

    [Fact]
    public async Task TraverseAsync_DepthZero_OnlyTheStart()
    {
        var graph = await TraverseAsync(Run, LineageDirection.Both, depth: 0);

        Assert.Equal([Run], graph.Nodes.Select(n => n.Node));
        Assert.Empty(graph.Edges);
    }

    [Fact]
    public async Task TraverseAsync_Cycle_VisitsEachNodeOnceAndKeepsEveryEdge()
    {
        var a = LineageNode.Run("a");
        var b = LineageNode.Run("b");
        var c = LineageNode.Run("c");
        var edges = new LineageEdge[] { new(a, LineageEdgeType.RerunAs, b), new(b, LineageEdgeType.RerunAs, c), new(c, LineageEdgeType.RerunAs, a), new(a, LineageEdgeType.RerunAs, a) };
        var store = new Graph(edges);

        var graph = await LineageTraversal.TraverseAsync(a, LineageDirection.Down, 50, 100, store.EdgesOf);

        Assert.Equal([a, b, c], graph.Nodes.Select(n => n.Node));
        Assert.Equal(4, graph.Edges.Count);
        Assert.Equal(3, store.Calls); // each node's edges read once, however long the depth
    }

    [Fact]
    public async Task TraverseAsync_Both_IsUpstreamPlusDownstreamNotTheWholeComponent()
    {
        // Another run trained on the same data: a sibling of run-1, reachable only by going down after going up.
        var sibling = LineageNode.Run("run-2");
        var graph = await TraverseAsync(Run, LineageDirection.Both, edges: [.. Chain, new(Data, LineageEdgeType.TrainedIn, sibling)]);

        Assert.Contains(graph.Nodes, n => n.Node == Source);
        Assert.Contains(graph.Nodes, n => n.Node == Deployment);
        Assert.DoesNotContain(graph.Nodes, n => n.Node == sibling);
        Assert.Equal(LineageDirection.Both, graph.Direction);
    }

    [Fact]
    public async Task TraverseAsync_MoreNodesThanTheLimit_TruncatedWithoutDanglingEdges()
    {
        var fan = Enumerable.Range(1, 10).Select(i => new LineageEdge(Run, LineageEdgeType.Produced, LineageNode.Trial("run-1", $"t{i:D3}"))).ToArray();

        var graph = await TraverseAsync(Run, LineageDirection.Down, maxNodes: 4, edges: fan);

        Assert.True(graph.Truncated);
        Assert.Equal(4, graph.Nodes.Count);
        var nodes = graph.Nodes.Select(n => n.Node).ToHashSet();
        Assert.All(graph.Edges, e => Assert.Contains(e.To, nodes));
    }

    [Fact]
    public void Render_Graph_MermaidFlowchartWithLabelledEdgesAndRootOutlined()
    {
        var graph = new LineageGraph(Model, LineageDirection.Up, 10,
            [new(Model, 0), new(Trial, 1), new(new LineageNode(LineageKind.Source, "landing/a\"b<c>.csv"), 2)],
            [new(Trial, LineageEdgeType.RegisteredAs, Model), new(new LineageNode(LineageKind.Source, "landing/a\"b<c>.csv"), LineageEdgeType.IngestedAs, Trial)], false);

        var text = LineageMermaid.Render(graph);

        Assert.Equal(
            """
            flowchart LR
              n0["model-version<br/>weather/1"]:::root
              n1["trial<br/>run-1.t001"]
              n2["source<br/>landing/a#quot;b#lt;c#gt;.csv"]
              n1 -->|registered-as| n0
              n2 -->|ingested-as| n1
              classDef root stroke-width:3px

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void KeyOf_IdsWithReservedCharacters_DistinctAndValidTableKeys()
    {
        var ids = new[] { "a/b", "a~2Fb", "a#b", "a?b", "a\\b", "a\tb", "a~b" };

        var keys = ids.Select(id => LineageStore.KeyOf(new LineageNode(LineageKind.Source, id))).ToList();

        Assert.Equal(ids.Length, keys.Distinct().Count());
        Assert.All(keys, k => Assert.DoesNotContain(k, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)));
        Assert.Equal("dataset-version:weather~2Fdaily~2F1", LineageStore.KeyOf(Data));
    }

    [Fact]
    public void KeyOf_VeryLongIds_ShortAndStillDistinct()
    {
        var a = new LineageNode(LineageKind.Source, "landing/" + new string('x', 900) + "/a.csv");
        var b = new LineageNode(LineageKind.Source, "landing/" + new string('x', 900) + "/b.csv");

        Assert.True(LineageStore.KeyOf(a).Length <= 480);
        Assert.NotEqual(LineageStore.KeyOf(a), LineageStore.KeyOf(b));
    }

    [Fact]
    public void Ingested_LandingAndUpload_SourceNamedByBlobOrUploadedFile()
    {
        var at = new DateTimeOffset(2026, 11, 26, 10, 15, 0, TimeSpan.Zero);
        var landed = new DatasetVersionInfo("weather", "daily", 3, DatasetStatus.Ready, "csv", "text/csv", "weather/daily/uploads/x/weather.csv",
            null, null, "abc", 10, 10, 0, null, at, Source: "landing/erp/2026/weather.csv", IngestedBy: "etl@example.com");
        var uploaded = landed with { Source = "upload", FileName = null };

        var edges = LineageEdges.Ingested(landed);

        Assert.Equal(new LineageNode(LineageKind.Source, "landing/erp/2026/weather.csv"), edges[0].From);
        Assert.Equal(("etl@example.com", LineageEdgeType.IngestedAs), (edges[0].Properties!["by"], edges[0].Type));
        Assert.Equal((LineageEdgeType.CuratedTo, LineageNode.DatasetVersion("weather", "daily", 3), "Ready"), (edges[1].Type, edges[1].To, edges[1].Properties!["status"]));
        Assert.Equal(new LineageNode(LineageKind.Source, "upload/weather/daily/weather.csv"), LineageEdges.SourceOf(uploaded));
    }
}
