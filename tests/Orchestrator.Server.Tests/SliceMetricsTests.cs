using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Slice metrics through HTTP on penguins (label Species, slices by Island), with one LightGBM candidate so the figures
/// are those of the unit tests: Biscoe 30 test rows (accuracy 1), Dream 31 (0.968), Torgersen 11 (1); overall 0.986.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SliceMetricsTests(ServerFixture server)
{
    private static readonly string[] Islands = ["Biscoe", "Dream", "Torgersen"];

    private static object Project(string approver, object kpi, string[]? sliceBy = null) => new
    {
        task = "multiclass", label = "Species", primaryMetric = "microAccuracy",
        kpis = new[] { kpi }, approvers = new[] { approver },
        evaluation = new { sliceBy = sliceBy ?? ["Island"] },
        candidates = new[] { new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 8, ["learningRate"] = 0.1, ["numberOfIterations"] = 100 } } },
    };

    private async Task UploadPenguinsAsync(string project) =>
        await server.UploadReadyAsync($"/api/projects/{project}/datasets/palmer", await File.ReadAllBytesAsync(ServerFixture.VegaData("penguins.json")), "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var errors), text);
        return errors;
    }

    private static IEnumerable<string?> Values(JsonElement slices) => slices.EnumerateArray().Select(s => s.GetProperty("value").GetString());

    [Fact]
    public async Task Run_SliceByIsland_TrialCardAndApprovalPageHaveEveryIsland()
    {
        await server.PutProjectAsync("ds-slices", Project("sme@example.com", new { metric = "microAccuracy", min = 0.9, perSlice = true }));
        var defined = await server.GetJsonAsync("/api/projects/ds-slices");
        Assert.Equal(["Island"], defined.GetProperty("evaluation").GetProperty("sliceBy").EnumerateArray().Select(c => c.GetString()));
        Assert.True(defined.GetProperty("kpis")[0].GetProperty("perSlice").GetBoolean());
        await UploadPenguinsAsync("ds-slices");

        var runId = await server.StartRunAsync("ds-slices", "palmer");
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        Assert.True(run.GetProperty("status").GetString() == "AwaitingApproval", run.ToString());

        var trial = await server.GetJsonAsync($"/api/trials/{runId}.{run.GetProperty("best").GetProperty("trialId").GetString()}");
        var slices = trial.GetProperty("slices");
        Assert.Equal(Islands, Values(slices));
        Assert.All(slices.EnumerateArray(), s => Assert.Equal("Island", s.GetProperty("column").GetString()));
        Assert.Equal(trial.GetProperty("confusionMatrix").GetProperty("counts").EnumerateArray().Sum(r => r.EnumerateArray().Sum(c => c.GetDouble())),
            slices.EnumerateArray().Sum(s => s.GetProperty("rows").GetInt32()));
        Assert.All(slices.EnumerateArray(), s => Assert.InRange(s.GetProperty("metrics").GetProperty("microAccuracy").GetDouble(), 0.9, 1));
        Assert.Equal(slices.ToString(), run.GetProperty("best").GetProperty("slices").ToString());

        var card = await server.GetJsonAsync($"/api/runs/{runId}/model-card");
        Assert.Equal(slices.ToString(), card.GetProperty("slices").ToString());
        Assert.True(card.GetProperty("kpis")[0].GetProperty("perSlice").GetBoolean());

        var link = await server.ApprovalLinkAsync(runId, "sme@example.com");
        var page = await server.Http.GetStringAsync(link.PathAndQuery);
        Assert.Contains("<h2>Metrics per slice</h2>", page);
        Assert.All(Islands, island => Assert.Contains($"<th>Island={island}</th>", page));
    }

    [Fact]
    public async Task Run_PerSliceKpiAboveOneIsland_RejectedNamingTheSlice()
    {
        // 0.98 holds overall (0.986) and on Biscoe and Torgersen, not on Dream (0.968).
        await server.PutProjectAsync("ds-slices-gate", Project("sme@example.com", new { metric = "microAccuracy", min = 0.98, perSlice = true }));
        await UploadPenguinsAsync("ds-slices-gate");

        var runId = await server.StartRunAsync("ds-slices-gate", "palmer");
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");

        Assert.True(run.GetProperty("status").GetString() == "Rejected", run.ToString());
        var error = run.GetProperty("error").GetString()!;
        Assert.Contains("No candidate meets the KPIs in every slice: microAccuracy 0.9677 < 0.98 in Island=Dream (31 test rows)", error);
        Assert.DoesNotContain("Biscoe", error);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("approval").ValueKind);

        // A rerun is checked against its version's schema as a start is.
        await server.PutProjectAsync("ds-slices-gate", Project("sme@example.com", new { metric = "microAccuracy", min = 0.98 }, ["Body Mass (g)"]));
        var rerun = await server.Http.PostAsJsonAsync($"/api/runs/{runId}/rerun", new { });
        var errors = await ProblemAsync(rerun, "evaluation.sliceBy[0]");
        Assert.Contains("'Body Mass (g)' is a number column", errors[0].GetString());
    }

    [Fact]
    public async Task PutProject_SliceByTheLabel_ProblemNamesTheEntry()
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/ds-slices-bad",
            Project("sme@example.com", new { metric = "microAccuracy", min = 0.9 }, ["Island", "Species"]));

        var errors = await ProblemAsync(response, "evaluation.sliceBy[1]");
        Assert.Contains("label", errors[0].GetString());
    }

    [Fact]
    public async Task PutProject_PerSliceKpiWithoutSliceBy_ProblemNamesTheKpi()
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/ds-slices-bad", new
        {
            task = "multiclass", label = "Species", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" },
            kpis = new[] { new { metric = "microAccuracy", min = 0.9, perSlice = true } },
        });

        await ProblemAsync(response, "kpis[0].perSlice");
    }

    [Fact]
    public async Task StartRun_SliceByANumberColumn_ProblemNamesTheEntry()
    {
        await server.PutProjectAsync("ds-slices-numeric", Project("sme@example.com", new { metric = "microAccuracy", min = 0.9 }, ["Beak Length (mm)"]));
        await UploadPenguinsAsync("ds-slices-numeric");

        var response = await server.Http.PostAsJsonAsync("/api/projects/ds-slices-numeric/runs", new { dataset = "palmer" });

        var errors = await ProblemAsync(response, "evaluation.sliceBy[0]");
        Assert.Contains("'Beak Length (mm)' is a number column", errors[0].GetString());
    }

    [Fact]
    public async Task ApprovalPage_RestrictedDataset_SlicesOnlyForTheApproverTheRestrictionNames()
    {
        const string project = "ds-slices-restricted";
        const string named = "inside-biologist@example.com";
        const string other = "outside-biologist@example.com";
        await server.PutProjectAsync(project, new
        {
            task = "multiclass", label = "Species", primaryMetric = "microAccuracy", approvers = new[] { named, other }, quorum = 2,
            kpis = new[] { new { metric = "microAccuracy", min = 0.9 } }, evaluation = new { sliceBy = new[] { "Island" } },
            candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
        });
        var restrict = await server.Http.PatchAsJsonAsync($"/api/projects/{project}/datasets/palmer", new { restrictedTo = new[] { named } });
        Assert.True(restrict.IsSuccessStatusCode, await restrict.Content.ReadAsStringAsync());
        await UploadPenguinsAsync(project);
        var runId = await server.StartRunAsync(project, "palmer");

        using var anonymous = server.ClientFor(null);
        var outside = await anonymous.GetStringAsync(await server.ApprovalLinkAsync(runId, other, seconds: 120));
        var inside = await anonymous.GetStringAsync(await server.ApprovalLinkAsync(runId, named, seconds: 120));

        Assert.Contains("<h2>Metrics per slice</h2>", inside);
        Assert.Contains("Island=Torgersen", inside);
        // The values of a restricted dataset's column are what its rows gave: withheld with the rest.
        Assert.Contains("metrics per slice", outside);
        foreach (var withheld in new[] { "Metrics per slice", "Island=", "Torgersen", "Biscoe" })
            Assert.DoesNotContain(withheld, outside);
    }
}
