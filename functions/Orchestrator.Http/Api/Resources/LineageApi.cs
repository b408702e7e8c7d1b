using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Http.Application;
using Orchestrator.Http.Application.Lineage;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>The lineage graph: where a thing came from and what came of it.</summary>
public static class LineageApi
{
    public const string LineageRoute = "lineage/{kind}/{*id}";

    public static readonly ApiResource Resource = new("Lineage", "The lineage graph: source → raw → dataset version → run → trials → model version → deployment → monitoring.",
    [
        new(nameof(GetLineage), "GET", LineageRoute, GetLineage)
        {
            Permission = Permission.Read, Data = DataScope.Derived, Summary = "The lineage graph around a node (JSON or Mermaid)", Problems = [400, 404],
            OtherContent = new Dictionary<int, string> { [200] = "text/plain" },
        },
    ]);

    // The graph as JSON (its schema from ApiResult), or as Mermaid text; failures as problems either way.
    public static async Task<Results<ApiResult<LineageView>, ContentHttpResult>> GetLineage(HttpContext context, string kind, string? id, string? direction,
        string? depth, string? format, LineageQueries lineage, CancellationToken ct)
    {
        var outcome = await lineage.GetAsync(kind, id, direction, depth, format, AccessGate.Current(context), ct);
        if (outcome.Value?.Mermaid is { } mermaid) return TypedResults.Text(mermaid, "text/plain; charset=utf-8");
        return (outcome.Value?.Graph is { } graph ? Outcome<LineageView>.Ok(graph) : outcome.Failure!).ToApi();
    }
}
