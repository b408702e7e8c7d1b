using Orchestrator.Http.Security;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Lineage;

namespace Orchestrator.Server.Tests;

/// <summary>Lineage through HTTP: recorded as the real lifecycle runs, asked with one call per question.</summary>
[Collection(ServerCollection.Name)]
public sealed class LineageTests(ServerFixture server)
{
    private const string Approver = "lineage-sme@example.com";

    private static object Project => ServerFixture.QuickWeatherProject(Approver);

    /// <summary>Runs the lifecycle and decides its approval; returns the ended run.</summary>
    private async Task<JsonElement> RunAsync(string project, string decision = "approve") =>
        await server.DecideAndWaitAsync(await server.StartRunAsync(project), Approver, decision);

    private static HashSet<(string Kind, string Id)> Nodes(JsonElement graph) =>
        graph.GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("kind").GetString()!, n.GetProperty("id").GetString()!)).ToHashSet();

    private static IEnumerable<JsonElement> Edges(JsonElement graph, string type) =>
        graph.GetProperty("edges").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type);

    private static string Id(JsonElement node) => node.GetProperty("id").GetString()!;

    [Fact]
    public async Task GetLineage_UpFromProductionDeployment_ReachesTheDataThatTrainedIt()
    {
        const string project = "lineage-prod";
        await server.PutProjectAsync(project, Project);
        var version = await server.UploadWeatherAsync(project);
        var run = await RunAsync(project);
        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
        var (runId, model, trial) = (run.GetProperty("runId").GetString()!, run.GetProperty("modelVersion").GetInt32(), run.GetProperty("best").GetProperty("trialId").GetString()!);
        var deployment = (await server.GetJsonAsync($"/api/projects/{project}/models")).GetProperty("history").EnumerateArray()
            .Last(c => c.GetProperty("environment").GetString() == "production" && c.GetProperty("outcome").GetString() == "Switched");
        var rawBlob = (await server.GetJsonAsync($"/api/projects/{project}/datasets/weather/versions/{version}")).GetProperty("rawBlob").GetString()!;

        // "Which data trained the production model?" — one call, from the production deployment upwards.
        var graph = await server.GetJsonAsync($"/api/lineage/deployment/{project}/production/{deployment.GetProperty("sequence").GetInt64()}?direction=up");

        Assert.Equal(
            [
                ("deployment", $"{project}/production/1"), ("model-version", $"{project}/{model}"), ("trial", $"{runId}.{trial}"), ("run", runId),
                ("dataset-version", $"{project}/weather/{version}"), ("raw", rawBlob), ("source", $"upload/{project}/weather/source.csv"),
            ],
            graph.GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("kind").GetString()!, Id(n))));
        Assert.Equal("up", graph.GetProperty("direction").GetString());
        var deployed = Assert.Single(Edges(graph, "deployed-as")).GetProperty("properties");
        Assert.Equal(("production", "promote", $"{model}"), (deployed.GetProperty("environment").GetString(), deployed.GetProperty("action").GetString(), deployed.GetProperty("to").GetString()));
        Assert.Equal(Approver, Assert.Single(Edges(graph, "registered-as")).GetProperty("properties").GetProperty("approvedBy").GetString());
        Assert.Equal("Ready", Assert.Single(Edges(graph, "curated-to")).GetProperty("properties").GetProperty("status").GetString());
        var dataNode = graph.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "dataset-version");
        Assert.Equal((4, $"/api/projects/{project}/datasets/weather/versions/{version}"), (dataNode.GetProperty("distance").GetInt32(), dataNode.GetProperty("url").GetString()));

        // Monitoring what the deployment serves is recorded downstream of it, and the same graph renders for docs.
        var report = await server.Http.PostAsJsonAsync($"/api/projects/{project}/monitoring/run", new { });
        var reportId = JsonDocument.Parse(await report.Content.ReadAsStringAsync()).RootElement.GetProperty("reportId").GetString();
        var down = await server.GetJsonAsync($"/api/lineage/model-version/{project}/{model}?direction=down");
        Assert.Equal([("deployed-as", $"{project}/production/1"), ("monitored-by", $"{project}/{reportId}")],
            down.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("type").GetString()!, Id(e.GetProperty("to")))));

        var mermaid = await server.Http.GetAsync($"/api/lineage/model-version/{project}/{model}?format=mermaid&depth=2");
        var text = await mermaid.Content.ReadAsStringAsync();
        Assert.Equal(("text/plain", HttpStatusCode.OK), (mermaid.Content.Headers.ContentType!.MediaType, mermaid.StatusCode));
        Assert.StartsWith("flowchart LR\n", text);
        Assert.Contains($"[\"model-version<br/>{project}/{model}\"]:::root", text);
        Assert.Contains("-->|registered-as|", text);
        Assert.Contains("-->|monitored-by|", text);
        Assert.DoesNotContain("dataset-version", text); // depth 2 up: trial and run, not the data

        // A Reader of another project sees none of it: not who ingested, trained, approved or deployed, nor any hash.
        await server.PutProjectAsync("lineage-elsewhere", Project);
        var grant = await server.Http.PostAsJsonAsync("/api/access", new { principal = "lineage-outsider@example.com", role = "Reader", project = "lineage-elsewhere" });
        Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync());
        using var outsider = server.ClientFor("lineage-outsider@example.com");
        foreach (var path in new[] { $"deployment/{project}/production/{deployment.GetProperty("sequence").GetInt64()}?direction=up", $"model-version/{project}/{model}?format=mermaid" })
        {
            var hidden = await outsider.GetAsync("/api/lineage/" + path);
            var answer = await hidden.Content.ReadAsStringAsync();
            Assert.True(hidden.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)hidden.StatusCode} {answer}");
            Assert.DoesNotContain(runId, answer);
            Assert.DoesNotContain(Approver, answer);
        }
    }

    [Fact]
    public async Task GetLineage_DownFromDatasetVersion_ListsEveryModelTrainedOnItAndTheRerun()
    {
        const string project = "lineage-data";
        await server.PutProjectAsync(project, Project);
        var landing = new BlobServiceClient(server.Azurite.ConnectionString).GetBlobContainerClient("landing");
        await landing.CreateIfNotExistsAsync();
        await landing.GetBlobClient("lineage-data/erp/lineage/weather.csv").UploadAsync(ServerFixture.SeattleWeatherCsv, overwrite: true);
        // The ERP's loader: a service principal that may only ingest; lineage records its identity.
        using var etl = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        etl.DefaultRequestHeaders.Authorization = new("Bearer", server.Token("erp-etl", [Roles.DataEngineer], service: true));
        var ingest = await etl.PostAsJsonAsync($"/api/projects/{project}/datasets/weather/ingest", new { blob = "lineage-data/erp/lineage/weather.csv" });
        var version = (await server.WaitForVersionAsync(ingest.Headers.Location!.ToString())).GetProperty("version").GetInt32();

        var rejected = await RunAsync(project, "reject");
        Assert.Equal("Rejected", rejected.GetProperty("status").GetString());
        var rerun = await server.Http.PostAsJsonAsync($"/api/runs/{rejected.GetProperty("runId").GetString()}/rerun", new { });
        var rerunId = JsonDocument.Parse(await rerun.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        var first = await server.DecideAndWaitAsync(rerunId, Approver, "approve");
        var second = await RunAsync(project);
        Assert.Equal(("Completed", "Completed"), (first.GetProperty("status").GetString(), second.GetProperty("status").GetString()));

        // "Which models used this dataset version?" — one call, from the version downwards.
        var graph = await server.GetJsonAsync($"/api/lineage/dataset-version/{project}/weather/{version}?direction=down");

        var nodes = Nodes(graph);
        Assert.Equal([$"{project}/1", $"{project}/2"], nodes.Where(n => n.Kind == "model-version").Select(n => n.Id).Order());
        Assert.Equal(
            new[] { rejected, first, second }.Select(r => r.GetProperty("runId").GetString()!).Order(),
            nodes.Where(n => n.Kind == "run").Select(n => n.Id).Order());
        var link = Assert.Single(Edges(graph, "rerun-as"));
        Assert.Equal((rejected.GetProperty("runId").GetString(), rerunId), (Id(link.GetProperty("from")), Id(link.GetProperty("to"))));
        Assert.DoesNotContain(nodes, n => n.Kind is "source" or "raw");

        // And where the version came from: the landing blob, handed over by the ETL.
        var up = await server.GetJsonAsync($"/api/lineage/dataset-version/{project}%2Fweather%2F{version}?direction=up");
        var ingested = Assert.Single(Edges(up, "ingested-as"));
        Assert.Equal(("landing/lineage-data/erp/lineage/weather.csv", "app:erp-etl"), (Id(ingested.GetProperty("from")), ingested.GetProperty("properties").GetProperty("by").GetString()));
    }

    [Fact]
    public async Task GetLineage_UnknownKindBadParametersOrUnknownNode_400NamingTheFieldOr404()
    {
        async Task<(HttpStatusCode, JsonElement)> GetAsync(string path)
        {
            var response = await server.Http.GetAsync(path);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }

        var (kind, kindBody) = await GetAsync("/api/lineage/pipeline/x");
        Assert.Equal(HttpStatusCode.BadRequest, kind);
        Assert.Contains("dataset-version", kindBody.GetProperty("errors").GetProperty("kind")[0].GetString());
        var (bad, badBody) = await GetAsync("/api/lineage/run/x?direction=sideways&depth=500&format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal(["depth", "direction", "format"], badBody.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        var (missing, missingBody) = await GetAsync("/api/lineage/run/no-such-run");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("no-such-run", missingBody.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RecordAsync_SameEdgesTwice_StoredOnceEachWay()
    {
        var store = new LineageStore(new TableServiceClient(server.Azurite.ConnectionString), Options.Create(new LineageOptions()));
        var (a, b, c) = (LineageNode.Run($"a-{Guid.NewGuid():N}"), LineageNode.Run($"b-{Guid.NewGuid():N}"), LineageNode.Run($"c-{Guid.NewGuid():N}"));
        LineageEdge[] edges = [new(a, LineageEdgeType.RerunAs, b, DateTimeOffset.UnixEpoch), new(b, LineageEdgeType.RerunAs, c, DateTimeOffset.UnixEpoch)];

        await store.RecordAsync(edges);
        await store.RecordAsync(edges.Select(e => e with { Properties = new Dictionary<string, string> { ["by"] = "retry" } })); // a retried activity

        var fromB = await store.EdgesAsync(b, LineageDirection.Both);
        Assert.Equal(2, fromB.Count);
        Assert.All(fromB, e => Assert.Equal("retry", e.Properties!["by"]));
        Assert.Equal(b, Assert.Single(await store.EdgesAsync(a, LineageDirection.Down)).To);
        var graph = await store.TraverseAsync(c, LineageDirection.Up, 10);
        Assert.Equal([c, b, a], graph!.Nodes.Select(n => n.Node));
        Assert.Null(await store.TraverseAsync(LineageNode.Run("never-recorded"), LineageDirection.Both, 10));
    }
}
