using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Lineage;

namespace Orchestrator.Http;

using static ApiResults;

/// <summary>The lineage route, written once (both hosts bind to it): the graph around one node, as JSON or Mermaid.</summary>
public sealed class LineageApi(LineageStore lineage, Application.Lineage.LineageVisibility visibility, IOptions<LineageOptions> options)
{
    private const int MaxIdLength = 1024;

    /// <summary>
    /// <c>GET /api/lineage/{kind}/{*id}?direction=up|down|both&amp;depth=&amp;format=json|mermaid</c>: the nodes and edges
    /// reachable from the node (<c>both</c>, the default, is the union of the upstream and the downstream walk), up to
    /// <c>depth</c> edges away; <c>format=mermaid</c> answers a Mermaid flowchart as <c>text/plain</c>. Ids may contain
    /// '/' as they are (<c>dataset-version/weather/seattle/3</c>) or encoded. Unknown kind or bad parameters → 400
    /// naming the field; a node no edge touches → 404.
    /// </summary>
    public async Task<IResult> GetAsync(HttpRequest request, string kind, string? id, CancellationToken ct)
    {
        var limits = options.Value;
        var errors = new Dictionary<string, string[]>();
        if (!LineageKind.IsKnown(kind)) errors["kind"] = [$"'{kind}' is not a lineage node kind; one of {string.Join(", ", LineageKind.All)}."];
        var nodeId = Uri.UnescapeDataString(id ?? "").Trim('/');
        if (nodeId.Length is 0 or > MaxIdLength) errors["id"] = [$"A node id of 1 to {MaxIdLength} characters, e.g. {{project}}/{{dataset}}/{{version}} for a dataset version."];
        var directionText = request.Query["direction"].ToString();
        var direction = directionText switch
        {
            "" or "both" => LineageDirection.Both,
            "up" => LineageDirection.Up,
            "down" => LineageDirection.Down,
            _ => (LineageDirection?)null,
        };
        if (direction is null) errors["direction"] = ["One of up (where it came from), down (what came of it), both (the default)."];
        var depthText = request.Query["depth"].ToString();
        var depth = limits.DefaultDepth;
        if (depthText.Length > 0 && (!int.TryParse(depthText, NumberStyles.None, CultureInfo.InvariantCulture, out depth) || depth > limits.MaxDepth))
            errors["depth"] = [$"A whole number from 0 to {limits.MaxDepth} (default {limits.DefaultDepth})."];
        var format = request.Query["format"].ToString();
        if (format is not ("" or "json" or "mermaid")) errors["format"] = ["json (the default) or mermaid (text/plain)."];
        if (errors.Count > 0) return Invalid(errors);

        var node = new LineageNode(kind, nodeId);
        var found = await lineage.TraverseAsync(node, direction!.Value, depth, ct);
        var graph = found is null ? null : await visibility.VisibleAsync(found, Security.AccessGate.Current(request.HttpContext), ct);
        if (graph is null) return Problem(404, "Lineage node not found", $"No lineage is recorded for {kind} '{nodeId}'.");
        if (format == "mermaid") return Results.Text(LineageMermaid.Render(graph), "text/plain; charset=utf-8");
        return Json(new
        {
            root = View(graph.Root), graph.Direction, graph.Depth, graph.Truncated,
            nodes = graph.Nodes.Select(n => new { n.Node.Kind, n.Node.Id, n.Distance, url = UrlOf(n.Node) }),
            edges = graph.Edges.Select(e => new { from = View(e.From), e.Type, to = View(e.To), e.At, properties = e.Properties ?? new Dictionary<string, string>() }),
        });
    }

    private static object View(LineageNode node) => new { node.Kind, node.Id };

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
            _ => null,
        };
    }
}
