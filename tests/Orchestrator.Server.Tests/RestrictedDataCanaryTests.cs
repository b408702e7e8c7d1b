using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Http.Api;
using Orchestrator.Http.Security;

namespace Orchestrator.Server.Tests;

/// <summary>
/// A canary dataset restricted to one group, with recognisable column names, a recognisable value and an unusual row
/// count, carried through the whole lifecycle (run, trials, model card, approval, model, prediction, monitoring,
/// lineage, webhooks, audit). Then every route of the route table is called as every role, in and out of the group,
/// in and out of the project: no answer to a caller without the right to the data may contain a canary column name,
/// value, row count or content hash. New routes are called as soon as they are in the table.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class RestrictedDataCanaryTests(ServerFixture server)
{
    private const string Project = "canary";
    private const string Dataset = "canary-data";
    private const string Group = "canary-team";
    private const string Approver = "canary-sme@example.com";
    private const int Rows = 1337;
    private const string Elsewhere = "canary-elsewhere";
    private const string ElsewhereMember = "canary-elsewhere@example.com";
    private const string GroupMemberElsewhere = "canary-groupie@example.com";

    /// <summary>Every canary column and the canary value start with it.</summary>
    private const string Marker = "zqx";

    [GeneratedRegex(@"(?<=[:\[,\s])1337(?=[,\]}\s])")]
    private static partial Regex RowCount();

    /// <summary>seattle-weather's first <see cref="Rows"/> days with every column but the label renamed, and a site column of one canary value.</summary>
    private static byte[] CanaryCsv()
    {
        var lines = File.ReadAllLines(ServerFixture.SeattleWeatherCsv);
        var csv = new StringBuilder("zqx_day,zqx_rainfall,zqx_hottest,zqx_coldest,zqx_gust,weather,zqx_site\n");
        foreach (var line in lines.Skip(1).Take(Rows)) csv.Append(line).Append(",ZQXSITE\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private sealed record Canary(string RunId, string TrialId, string ApprovalId, string ContentHash, string WebhookId);

    private static Canary? _canary;
    private static readonly SemaphoreSlim Once = new(1, 1);

    /// <summary>The canary's lifecycle, once for every test of the class: uploaded, restricted, trained, approved, served, monitored.</summary>
    private async Task<Canary> CanaryAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_canary is not null) return _canary;
            await server.PutProjectAsync(Project, ServerFixture.QuickWeatherProject(Approver));
            await server.PutProjectAsync(Elsewhere, ServerFixture.WeatherProject);
            var grant = await server.Http.PostAsJsonAsync("/api/access", new { principal = ElsewhereMember, role = Roles.DataScientist, project = Elsewhere });
            Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync());
            var groupie = await server.Http.PostAsJsonAsync("/api/access", new { principal = GroupMemberElsewhere, role = Roles.MlEngineer, project = Elsewhere });
            Assert.True(groupie.IsSuccessStatusCode, await groupie.Content.ReadAsStringAsync());
            var hook = await server.Http.PostAsJsonAsync("/api/webhooks", new { project = Project, url = "http://127.0.0.1:9/canary" });
            Assert.True(hook.IsSuccessStatusCode, await hook.Content.ReadAsStringAsync());
            var webhookId = (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var restrict = await server.Http.PatchAsJsonAsync($"/api/projects/{Project}/datasets/{Dataset}", new { restrictedTo = new[] { "group:" + Group } });
            Assert.True(restrict.IsSuccessStatusCode, await restrict.Content.ReadAsStringAsync());
            // A setup that failed half-way and runs again finds the same bytes already ingested (200, the same version).
            using var upload = new ByteArrayContent(CanaryCsv());
            upload.Headers.ContentType = new("text/csv");
            var uploaded = await server.Http.PostAsync($"/api/projects/{Project}/datasets/{Dataset}", upload);
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
            var version = await server.WaitForVersionAsync($"/api/projects/{Project}/datasets/{Dataset}/versions/1");
            Assert.Equal("Ready", version.GetProperty("status").GetString());
            Assert.Equal(Rows, version.GetProperty("rowsIn").GetInt32());
            var runId = await server.StartRunAsync(Project, Dataset);
            var (approvalId, _) = ServerFixture.ParseLink(await server.ApprovalLinkAsync(runId, Approver, seconds: 120));
            var run = await server.DecideAndWaitAsync(runId, Approver, "approve");
            Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
            var predicted = await server.Http.PostAsJsonAsync($"/api/projects/{Project}/predict", new
            {
                rows = new[] { new Dictionary<string, object> { ["zqx_day"] = "2015-06-01", ["zqx_rainfall"] = 0, ["zqx_hottest"] = 30, ["zqx_coldest"] = 15, ["zqx_gust"] = 3, ["zqx_site"] = "ZQXSITE" } },
            });
            Assert.True(predicted.IsSuccessStatusCode, await predicted.Content.ReadAsStringAsync());
            await server.Http.PostAsJsonAsync($"/api/projects/{Project}/monitoring/run", new { });
            return _canary = new Canary(runId, run.GetProperty("best").GetProperty("trialId").GetString()!, approvalId,
                version.GetProperty("contentHash").GetString()!, webhookId);
        }
        finally
        {
            Once.Release();
        }
    }

    private static string PathOf(ApiRoute route, Canary canary) => route.ServerTemplate
        .Replace("{project}", Project).Replace("{dataset}", Dataset).Replace("{version:int}", "1").Replace("{other:int}", "1")
        .Replace("{runId}", canary.RunId).Replace("{approvalId}", canary.ApprovalId)
        .Replace("{id}", route.Route.StartsWith("webhooks", StringComparison.Ordinal) ? canary.WebhookId : $"{canary.RunId}.{canary.TrialId}")
        .Replace("{kind}", "dataset-version").Replace("{*id}", $"{Project}/{Dataset}/1");

    /// <summary>
    /// A body that reaches the use case but changes nothing lasting: mostly <c>{}</c> (invalid or a no-op); an upload of
    /// an unsupported type (refused before anything is stored); a predict row without the model's features (its error
    /// names the features it expected).
    /// </summary>
    private static StringContent? BodyOf(ApiRoute route) => route.Name switch
    {
        _ when route.Method is "GET" or "DELETE" => null,
        nameof(DatasetsApi.UploadDataset) => new StringContent("x", Encoding.UTF8, "application/x-canary-probe"),
        nameof(MonitoringApi.PutMonitoringSettings) => new StringContent("{", Encoding.UTF8, "application/json"),
        nameof(RunsApi.Rerun) => new StringContent("{\"version\": 999}", Encoding.UTF8, "application/json"),
        nameof(ServingApi.Predict) => new StringContent("{\"rows\": [{\"unrelated\": 1}]}", Encoding.UTF8, "application/json"),
        _ => new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    /// <summary>Where <paramref name="body"/> gives away the canary, or null.</summary>
    private static string? LeakIn(string body, Canary canary)
    {
        if (body.Contains(Marker, StringComparison.OrdinalIgnoreCase)) return "a canary column name or value";
        if (body.Contains(canary.ContentHash[..16], StringComparison.OrdinalIgnoreCase)) return "the content hash";
        if (RowCount().IsMatch(body)) return "the row count";
        return null;
    }

    /// <summary>
    /// Callers with no right to the canary's data: each role (Admins of every project read everything), a group's
    /// namesake, another project's member, and a member of the group whose roles are all in another project.
    /// </summary>
    private IEnumerable<(string Who, string Token)> Outsiders()
    {
        foreach (var role in Roles.All.Where(r => r != Roles.Admin))
            yield return ($"{role} outside the group", server.Token($"canary-{role.ToLowerInvariant()}@example.com", [role], ["other-team"]));
        yield return ("a user named like the group", server.Token(Group, [Roles.Reader, Roles.DataScientist, Roles.MlEngineer]));
        yield return ("a data scientist of another project", server.Token(ElsewhereMember, []));
        // In the group, so the data is theirs to read, but with no role in the canary's project: the project's routes stay shut.
        yield return ("a member of the group with a role only in another project", server.Token(GroupMemberElsewhere, [], [Group]));
    }

    public static TheoryData<string> RouteNames() => new(ApiRoutes.All.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(RouteNames))]
    public async Task Route_CallerWithoutRightToRestrictedDataset_AnswerHasNoCanary(string name)
    {
        var canary = await CanaryAsync();
        var route = ApiRoutes.Named(name)!;
        using var client = server.ClientFor(null);
        foreach (var (who, token) in Outsiders())
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), PathOf(route, canary)) { Content = BodyOf(route) };
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(LeakIn(body, canary) is null, $"{who}: {route.Method} {PathOf(route, canary)} answered {(int)response.StatusCode} with {LeakIn(body, canary)}: {body}");
        }
    }

    [Fact]
    public async Task Canary_MemberOfTheGroup_SeesTheDataTheOthersDoNot()
    {
        var canary = await CanaryAsync();
        using var member = server.ClientFor(null);
        member.DefaultRequestHeaders.Authorization = new("Bearer", server.Token("canary-member@example.com", [Roles.Reader, Roles.MlEngineer], [Group]));
        foreach (var path in new[] { $"/api/projects/{Project}/datasets/{Dataset}/versions/1", $"/api/runs/{canary.RunId}/model-card", $"/api/projects/{Project}/datasets/{Dataset}" })
        {
            var response = await member.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK && LeakIn(body, canary) is not null, $"GET {path} → {(int)response.StatusCode}: {body}");
        }
    }

    [Fact]
    public async Task PatchRestriction_DataEngineerInsideTheGroupButNotOwner_403AndUnchanged()
    {
        await CanaryAsync();
        using var engineer = server.ClientFor(null);
        engineer.DefaultRequestHeaders.Authorization = new("Bearer", server.Token("canary-engineer@example.com", [Roles.DataEngineer], [Group]));
        var widen = await engineer.PatchAsJsonAsync($"/api/projects/{Project}/datasets/{Dataset}", new { restrictedTo = new[] { "group:" + Group, "friend@example.com" } });
        Assert.Equal(HttpStatusCode.Forbidden, widen.StatusCode);
        var own = await engineer.PatchAsJsonAsync($"/api/projects/{Project}/datasets/{Dataset}", new { owner = "canary-engineer@example.com" });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        var entry = await server.GetJsonAsync($"/api/projects/{Project}/datasets/{Dataset}");
        Assert.Equal(["group:" + Group], entry.GetProperty("restrictedTo").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task ReadRestrictedVersion_Outsider_403RecordedInTheAuditLog()
    {
        await CanaryAsync();
        const string outsider = "canary-prober@example.com";
        using var prober = server.ClientFor(outsider, Roles.Reader);
        var path = $"projects/{Project}/datasets/{Dataset}/versions/1";
        Assert.Equal(HttpStatusCode.Forbidden, (await prober.GetAsync("/api/" + path)).StatusCode);

        JsonElement[] entries = [];
        for (var i = 0; i < 50 && entries.Length == 0; i++, await Task.Delay(100))
            entries = (await server.GetJsonAsync($"/api/audit?actor={Uri.EscapeDataString(outsider)}&action={AccessGate.DeniedAction}"))
                .GetProperty("entries").EnumerateArray().ToArray();
        var entry = Assert.Single(entries);
        Assert.Equal((path, "denied", 403), (entry.GetProperty("target").GetString(), entry.GetProperty("outcome").GetString(), entry.GetProperty("status").GetInt32()));
        Assert.Contains("Restricted", entry.GetProperty("detail").GetString() ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Promote_MlEngineerOutsideTheGroup_403RestrictedAndNothingChanges()
    {
        await CanaryAsync();
        var before = await server.GetJsonAsync($"/api/projects/{Project}/models");
        using var engineer = server.ClientFor("canary-deployer@example.com", Roles.MlEngineer);
        var promote = await engineer.PostAsJsonAsync($"/api/projects/{Project}/models/1/promote", new { environment = "staging", reason = "probe" });
        var body = await promote.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        Assert.Contains("Restricted dataset", body);
        Assert.DoesNotContain(Marker, body, StringComparison.OrdinalIgnoreCase);
        var after = await server.GetJsonAsync($"/api/projects/{Project}/models");
        Assert.Equal(before.GetProperty("history").GetArrayLength(), after.GetProperty("history").GetArrayLength());
    }
}
