using Microsoft.AspNetCore.Http;
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

    public static Task<IResult> GetLineage(HttpRequest r, string kind, string? id, Http.LineageApi api, CancellationToken ct) => api.GetAsync(r, kind, id, ct);
}
