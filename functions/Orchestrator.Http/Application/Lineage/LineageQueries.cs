using System.Globalization;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Lineage;

namespace Orchestrator.Http.Application.Lineage;

/// <summary>The lineage graph around one node: where it came from and what came of it, as JSON or as a Mermaid flowchart.</summary>
public sealed class LineageQueries(LineageStore lineage, LineageVisibility visibility, IOptions<LineageOptions> options)
{
    private const int MaxIdLength = 1024;

    /// <summary>
    /// The nodes and edges reachable from the node (<c>both</c>, the default <paramref name="direction"/>, is the union
    /// of the upstream and the downstream walk), up to <paramref name="depth"/> edges away; <c>mermaid</c> as
    /// <paramref name="format"/> renders them as a flowchart. The id may contain '/' as it is
    /// (<c>dataset-version/weather/seattle/3</c>) or encoded. Unknown kind or bad parameters: invalid naming the field;
    /// a node no edge touches, or one the caller may not see: not found. What the caller sees is
    /// <see cref="LineageVisibility"/>'s: other projects left out, restricted data without details.
    /// </summary>
    public async Task<Outcome<LineageAnswer>> GetAsync(string kind, string? id, string? direction, string? depth, string? format, AccessContext? access,
        CancellationToken ct)
    {
        var limits = options.Value;
        var errors = new Dictionary<string, string[]>();
        if (!LineageKind.IsKnown(kind)) errors["kind"] = [$"'{kind}' is not a lineage node kind; one of {string.Join(", ", LineageKind.All)}."];
        var nodeId = Uri.UnescapeDataString(id ?? "").Trim('/');
        if (nodeId.Length is 0 or > MaxIdLength) errors["id"] = [$"A node id of 1 to {MaxIdLength} characters, e.g. {{project}}/{{dataset}}/{{version}} for a dataset version."];
        LineageDirection? walk = direction switch
        {
            null or "" or "both" => LineageDirection.Both,
            "up" => LineageDirection.Up,
            "down" => LineageDirection.Down,
            _ => null,
        };
        if (walk is null) errors["direction"] = ["One of up (where it came from), down (what came of it), both (the default)."];
        var edges = limits.DefaultDepth;
        if (!string.IsNullOrEmpty(depth) && (!int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out edges) || edges > limits.MaxDepth))
            errors["depth"] = [$"A whole number from 0 to {limits.MaxDepth} (default {limits.DefaultDepth})."];
        if (format is not (null or "" or "json" or "mermaid")) errors["format"] = ["json (the default) or mermaid (text/plain)."];
        if (errors.Count > 0) return Failure.Invalid(errors);

        if (await lineage.TraverseAsync(new LineageNode(kind, nodeId), walk!.Value, edges, ct) is not { } found
            || await visibility.VisibleAsync(found, access, ct) is not { } graph)
            return Failure.NotFound("Lineage node not found", $"No lineage is recorded for {kind} '{nodeId}'.");
        return Outcome<LineageAnswer>.Ok(format == "mermaid" ? new LineageAnswer(null, LineageMermaid.Render(graph)) : new LineageAnswer(LineageView.Of(graph), null));
    }
}
