using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Api;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Approvals;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Governance through HTTP on the real server: every route × every role, tokens (bad, expired, service principals),
/// grants per project and environment, restricted datasets, four eyes, and the append-only audit log.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class GovernanceTests(ServerFixture server)
{
    private const string MatrixProject = "gov-matrix";

    public static TheoryData<string> RouteNames() => new(ApiRoutes.All.Select(r => r.Name));

    /// <summary>A concrete path for a rule: route values that parse but (mostly) name nothing, so no call changes anything.</summary>
    private static string PathOf(ApiRoute rule) => rule.ServerTemplate
        .Replace("{project}", MatrixProject).Replace("{dataset}", "weather").Replace("{version:int}", "1").Replace("{other:int}", "2")
        .Replace("{runId}", "no-such-run").Replace("{id}", "no-such-run.t001").Replace("{approvalId}", "no-such-approval")
        .Replace("{kind}", "run").Replace("{*id}", "no-such-run");

    private static HttpRequestMessage Request(ApiRoute rule, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(rule.Method), PathOf(rule));
        if (rule.Method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    private async Task EnsureMatrixProjectAsync()
    {
        var response = await server.Http.PutAsJsonAsync($"/api/projects/{MatrixProject}", ServerFixture.WeatherProject);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public async Task Route_EveryRoleAndAnonymous_AnswersAsItsDeclaredPermission(string name)
    {
        await EnsureMatrixProjectAsync();
        var rule = ApiRoutes.Named(name)!;
        using var noToken = server.ClientFor(null);
        using var anonymous = await noToken.SendAsync(Request(rule, null));
        if (rule.Scope == AccessScope.Anonymous)
            Assert.NotEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        else
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        foreach (var role in Roles.All)
        {
            using var response = await server.Http.SendAsync(Request(rule, server.Token($"matrix-{role.ToLowerInvariant()}@example.com", [role])));
            var body = await response.Content.ReadAsStringAsync();
            var allowed = rule.Permission is not { } permission || RolePermissions.Grants(role, permission);
            if (allowed)
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} on {rule.Method} {PathOf(rule)}: {(int)response.StatusCode} {body}");
            else
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} on {rule.Method} {PathOf(rule)}: expected 403, got {(int)response.StatusCode} {body}");
        }
    }

    /// <summary>The permission matrix the README documents, generated from <see cref="ApiRoutes"/>.</summary>
    private static string Matrix()
    {
        var text = new StringBuilder();
        text.AppendLine("| Route | Permission | " + string.Join(" | ", Roles.All) + " |");
        text.AppendLine("|---|---|" + string.Concat(Roles.All.Select(_ => "---|")));
        foreach (var rule in ApiRoutes.All)
        {
            var cells = Roles.All.Select(role => rule.Scope == AccessScope.Anonymous ? "anyone" : rule.Permission is not { } p || RolePermissions.Grants(role, p) ? "✓" : "403");
            var permission = rule.Scope == AccessScope.Anonymous ? "none (anonymous)" : rule.Permission?.ToString() ?? "signed in";
            text.AppendLine($"| `{rule.Method} {rule.ServerTemplate.Replace(":int", "")}` | {permission} | {string.Join(" | ", cells)} |");
        }
        return text.ToString();
    }

    [Fact]
    public void Readme_PermissionMatrix_IsTheDeclaredOne()
    {
        var readme = File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, "README.md")).ReplaceLineEndings("\n");
        var expected = Matrix().ReplaceLineEndings("\n");
        Assert.True(readme.Contains(expected), "README.md must contain the permission matrix generated from the route table (ApiRoutes):\n" + expected);
    }

    [Fact]
    public async Task Token_BadSignatureOrExpiredOrNone_401AndFailedLoginAudited()
    {
        var forged = DevelopmentTokens.Create(new DevelopmentIssuerOptions { Key = "not-the-server-key" }, "mallory@example.com", [Roles.Admin]);
        var expired = DevelopmentTokens.Create(server.Issuer, "late@example.com", [Roles.Admin], lifetime: TimeSpan.FromMinutes(1), now: DateTimeOffset.UtcNow.AddHours(-1));
        var correlation = Guid.NewGuid().ToString("N");
        foreach (var token in new[] { forged, expired })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/projects/gov-any");
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Add("X-Correlation-Id", correlation);
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using var anonymous = server.ClientFor(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/projects/gov-any")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);

        var failures = await WaitForAuditAsync("action=login.failed", e => e.GetProperty("correlationId").GetString() == correlation, count: 2);
        Assert.All(failures, e => Assert.Equal(("anonymous", "denied", 401), (e.GetProperty("actor").GetString(), e.GetProperty("outcome").GetString(), e.GetProperty("status").GetInt32())));
        Assert.Contains(failures, e => e.GetProperty("detail").GetString()!.Contains("expired", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Token_FloodOfForgedTokens_OneCountedRowPerMinuteAndReason()
    {
        var forged = DevelopmentTokens.Create(new DevelopmentIssuerOptions { Key = "flood-key-not-the-servers" }, "flood@example.com", [Roles.Admin]);
        var correlation = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 25; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/projects/gov-flood");
            request.Headers.Authorization = new("Bearer", forged);
            request.Headers.Add("X-Correlation-Id", correlation);
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The flood lands in one row per minute (two if it straddles one), whose counts add up to the attempts.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<JsonElement> rows;
        do
        {
            rows = (await server.GetJsonAsync("/api/audit?action=login.failed&target=projects/gov-flood")).GetProperty("entries").EnumerateArray()
                .Where(e => e.GetProperty("correlationId").GetString() == correlation).ToList();
        } while (rows.Sum(e => e.GetProperty("count").GetInt32()) < 25 && DateTime.UtcNow < deadline && await Task.Delay(200).ContinueWith(_ => true));
        Assert.InRange(rows.Count, 1, 2);
        Assert.Equal(25, rows.Sum(e => e.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task MintCommand_UserAndRoles_TokenTheServerAcceptsAndUnknownRoleRefused()
    {
        // What `./run.sh token --user … --role …` runs, with this server's development key.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Development:Key"] = server.Issuer.Key }).Build();
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, DevelopmentTokens.Mint(["--user", "Alice@Contoso.com", "--role", "datascientist", "--group", "weather-team"], configuration, output, error));
        using var alice = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        alice.DefaultRequestHeaders.Authorization = new("Bearer", output.ToString().Trim());
        var me = JsonDocument.Parse(await alice.GetStringAsync("/api/me")).RootElement;
        Assert.Equal(("alice@contoso.com", "DataScientist", "weather-team"),
            (me.GetProperty("id").GetString(), me.GetProperty("roles")[0].GetString(), me.GetProperty("groups")[0].GetString()));

        Assert.Equal(2, DevelopmentTokens.Mint(["--user", "x@contoso.com", "--role", "Wizard"], configuration, new StringWriter(), error));
        Assert.Contains("Unknown: Wizard", error.ToString());
    }

    [Fact]
    public async Task ServicePrincipal_DataEngineer_OnlyIngests()
    {
        await server.PutProjectAsync("gov-service", ServerFixture.WeatherProject);
        using var erp = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        erp.DefaultRequestHeaders.Authorization = new("Bearer", server.Token("erp-loader", [Roles.DataEngineer], service: true));

        using var csv = new ByteArrayContent(await File.ReadAllBytesAsync(ServerFixture.SeattleWeatherCsv));
        csv.Headers.ContentType = new("text/csv");
        var upload = await erp.PostAsync("/api/projects/gov-service/datasets/weather", csv);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        Assert.Equal("app:erp-loader", JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("ingestedBy").GetString());

        var patch = await erp.PatchAsJsonAsync("/api/projects/gov-service/datasets/weather", new { description = "changed by a loader" });
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        Assert.Contains("only ingests", await patch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await erp.GetAsync("/api/projects/gov-service")).StatusCode);
    }

    [Fact]
    public async Task Grants_ProjectAndEnvironmentScoped_AdminOnlyAndIdempotent()
    {
        await server.PutProjectAsync("gov-grants", ServerFixture.WeatherProject);
        await server.PutProjectAsync("gov-other", ServerFixture.WeatherProject);
        using var sam = server.ClientFor("sam@example.com"); // no roles in the token: only stored grants count
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync("/api/projects/gov-grants")).StatusCode);
        using var scientist = server.ClientFor("dee@example.com", Roles.DataScientist);
        var notAdmin = await scientist.PostAsJsonAsync("/api/access", new { principal = "sam@example.com", role = "MlEngineer", project = "gov-grants" });
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);

        var invalid = await server.Http.PostAsJsonAsync("/api/access", new { principal = "sam@example.com", role = "Wizard", environment = "moon" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("role", out _) && errors.TryGetProperty("environment", out _), errors.ToString());

        var grant = new { principal = "Sam@Example.com", role = "MlEngineer", project = "gov-grants", environment = "staging" };
        Assert.Equal(HttpStatusCode.Created, (await server.Http.PostAsJsonAsync("/api/access", grant)).StatusCode);
        var again = await server.Http.PostAsJsonAsync("/api/access", grant);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("existing").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync("/api/projects/gov-grants")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync("/api/projects/gov-other")).StatusCode);
        // Staging is granted, production is not: the environment check comes before the model lookup (404).
        var staging = await sam.PostAsJsonAsync("/api/projects/gov-grants/models/7/promote", new { environment = "staging" });
        Assert.Equal(HttpStatusCode.NotFound, staging.StatusCode);
        var production = await sam.PostAsJsonAsync("/api/projects/gov-grants/models/7/promote", new { environment = "production" });
        Assert.Equal(HttpStatusCode.Forbidden, production.StatusCode);
        Assert.Contains("production environment", await production.Content.ReadAsStringAsync());

        var me = JsonDocument.Parse(await sam.GetStringAsync("/api/me")).RootElement;
        Assert.Equal("sam@example.com", me.GetProperty("id").GetString());
        Assert.Contains(me.GetProperty("grants").EnumerateArray(), g => g.GetProperty("environment").GetString() == "staging");
        // What a portal shows per project: Promote in gov-grants (staging), nothing anywhere else.
        Assert.Equal(["gov-grants"], me.GetProperty("projects").EnumerateObject().Select(p => p.Name));
        Assert.Contains("Promote", me.GetProperty("projects").GetProperty("gov-grants").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, me.GetProperty("everywhere").GetArrayLength());

        var listed = JsonDocument.Parse(await server.Http.GetStringAsync("/api/access?principal=sam@example.com")).RootElement.GetProperty("grants");
        var stored = Assert.Single(listed.EnumerateArray());
        Assert.Equal((ServerFixture.Tester, "gov-grants"), (stored.GetProperty("grantedBy").GetString(), stored.GetProperty("project").GetString()));

        // An administrator of one project does not administer grants or read the audit log: those span every project.
        (await server.Http.PostAsJsonAsync("/api/access", new { principal = "pat@example.com", role = "Admin", project = "gov-grants" })).EnsureSuccessStatusCode();
        using var projectAdmin = server.ClientFor("pat@example.com");
        Assert.Equal(HttpStatusCode.OK, (await projectAdmin.GetAsync("/api/projects/gov-grants")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await projectAdmin.PostAsJsonAsync("/api/access", new { principal = "pat@example.com", role = "Admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await projectAdmin.GetAsync("/api/audit")).StatusCode);

        const string revoke = "/api/access?principal=sam@example.com&role=MlEngineer&project=gov-grants&environment=staging";
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync(revoke)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.DeleteAsync(revoke)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync("/api/projects/gov-grants")).StatusCode);

        var audit = await WaitForAuditAsync($"target=access&actor={ServerFixture.Tester}", e => e.GetProperty("detail").GetString()?.StartsWith("sam@example.com MlEngineer project=gov-grants") == true, count: 4);
        Assert.Equal(["access.grant", "access.grant", "access.revoke", "access.revoke"], audit.Select(e => e.GetProperty("action").GetString()!).ToArray());
        Assert.Equal(["succeeded", "succeeded", "succeeded", "rejected"], audit.Select(e => e.GetProperty("outcome").GetString()!).ToArray());
    }

    [Fact]
    public async Task GroupGrant_MemberOfGroup_GetsTheRoleInThatProject()
    {
        await server.PutProjectAsync("gov-groups", ServerFixture.WeatherProject);
        (await server.Http.PostAsJsonAsync("/api/access", new { principal = "group:weather-team", role = "DataScientist", project = "gov-groups" })).EnsureSuccessStatusCode();
        using var member = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        member.DefaultRequestHeaders.Authorization = new("Bearer", server.Token("una@example.com", [], ["weather-team"]));
        using var outsider = server.ClientFor("vic@example.com");
        var definition = new { task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" }, seed = 7 };
        Assert.Equal(HttpStatusCode.OK, (await member.PutAsJsonAsync("/api/projects/gov-groups", definition)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PutAsJsonAsync("/api/projects/gov-groups", definition)).StatusCode);
    }

    [Fact]
    public async Task RestrictedDataset_OutsideTheGroup_SeesThatItExistsButNoRowsOrStatistics()
    {
        await server.PutProjectAsync("gov-restricted", ServerFixture.WeatherProject);
        await server.UploadWeatherAsync("gov-restricted", "salaries");
        await server.UploadAsync("/api/projects/gov-restricted/datasets/salaries", Encoding.UTF8.GetBytes("date,precipitation,temp_max,temp_min,wind,weather\n2016-01-01,0,10,2,3,sun\n"), "text/csv");
        var patch = await server.Http.PatchAsJsonAsync("/api/projects/gov-restricted/datasets/salaries", new { restrictedTo = new[] { "group:hr-analysts", "ulla@example.com" } });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());

        using var reader = server.ClientFor("rita@example.com", Roles.Reader, Roles.DataScientist);
        using var analyst = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        analyst.DefaultRequestHeaders.Authorization = new("Bearer", server.Token("hana@example.com", [Roles.Reader], ["hr-analysts"]));
        foreach (var path in new[] { "versions/1", "versions/1/quarantine", "versions/1/diff/2" })
        {
            var denied = await reader.GetAsync($"/api/projects/gov-restricted/datasets/salaries/{path}");
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Contains("hr-analysts", await denied.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/api/projects/gov-restricted/datasets/salaries/{path}")).StatusCode);
        }
        using var named = server.ClientFor("ulla@example.com", Roles.Reader); // named in restrictedTo, in no group
        Assert.Equal(HttpStatusCode.OK, (await named.GetAsync("/api/projects/gov-restricted/datasets/salaries/versions/1")).StatusCode);
        var entry = JsonDocument.Parse(await reader.GetStringAsync("/api/projects/gov-restricted/datasets/salaries")).RootElement;
        Assert.True(entry.GetProperty("restricted").GetBoolean());
        Assert.False(entry.TryGetProperty("columns", out _));
        Assert.False(entry.GetProperty("versions")[0].TryGetProperty("rowsOut", out _));
        var full = JsonDocument.Parse(await analyst.GetStringAsync("/api/projects/gov-restricted/datasets/salaries")).RootElement;
        Assert.Contains(full.GetProperty("columns").EnumerateArray(), c => c.GetString() == "temp_max");

        // The catalog lists it, but a column search does not reveal its columns to outsiders.
        var listed = JsonDocument.Parse(await reader.GetStringAsync("/api/datasets?project=gov-restricted")).RootElement.GetProperty("datasets");
        Assert.Contains(listed.EnumerateArray(), d => d.GetProperty("dataset").GetString() == "salaries" && d.GetProperty("restricted").GetBoolean());
        Assert.Equal(0, JsonDocument.Parse(await reader.GetStringAsync("/api/datasets?project=gov-restricted&column=temp_max")).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(1, JsonDocument.Parse(await analyst.GetStringAsync("/api/datasets?project=gov-restricted&column=temp_max")).RootElement.GetProperty("count").GetInt32());

        // Training reads the rows: an outsider cannot start a run on it.
        var run = await reader.PostAsJsonAsync("/api/projects/gov-restricted/runs", new { dataset = "salaries" });
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
    }

    [Fact]
    public async Task ApprovalPage_RunOnRestrictedDataset_OnlyANamedApproverSeesWhatItsRowsGave()
    {
        const string project = "gov-restricted-review";
        const string named = "inside-sme@example.com";
        const string other = "outside-sme@example.com";
        await server.PutProjectAsync(project, new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { named, other }, quorum = 2,
            kpis = new[] { new { metric = "microAccuracy", min = 0.5 } },
            candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
        });
        var restrict = await server.Http.PatchAsJsonAsync($"/api/projects/{project}/datasets/weather", new { restrictedTo = new[] { named, "group:weather-team" } });
        Assert.True(restrict.IsSuccessStatusCode, await restrict.Content.ReadAsStringAsync());
        await server.UploadWeatherAsync(project);
        var runId = await server.StartRunAsync(project);

        using var anonymous = server.ClientFor(null);
        var outside = await anonymous.GetStringAsync(await server.ApprovalLinkAsync(runId, other, seconds: 120));
        var inside = await anonymous.GetStringAsync(await server.ApprovalLinkAsync(runId, named, seconds: 120));

        // Both judge the same metrics against the KPIs…
        Assert.All(new[] { outside, inside }, page => Assert.Contains("microAccuracy", page));
        // …only the approver the restriction names sees the rows' figures and the columns the model relies on.
        Assert.Contains("Confusion matrix", inside);
        Assert.Contains("temp_max", inside);
        Assert.Contains("rows received", inside);
        Assert.Contains("is restricted to", outside);
        foreach (var withheld in new[] { "Confusion matrix", "Recall per class", "What the model relies on", "temp_max", "precipitation", "rows received", "Content hash" })
            Assert.DoesNotContain(withheld, outside);
    }

    [Fact]
    public async Task FourEyes_ApproverPromotesOwnModel_403AndAnotherEngineerPromotes()
    {
        const string project = "gov-four-eyes";
        var (version, approvalId) = await ApprovedUnderFourEyesAsync(project, "olga@example.com", "olga@example.com");

        var models = await server.GetJsonAsync($"/api/projects/{project}/models");
        Assert.Equal(JsonValueKind.Null, models.GetProperty("production").ValueKind);
        Assert.Equal(version, models.GetProperty("environments").GetProperty("staging").GetProperty("version").GetInt32());

        using var approverAsEngineer = server.ClientFor("olga@example.com", Roles.MlEngineer);
        var own = await approverAsEngineer.PostAsJsonAsync($"/api/projects/{project}/models/{version}/promote", new { environment = "production" });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("four eyes", await own.Content.ReadAsStringAsync());
        using var engineer = server.ClientFor("quinn@example.com", Roles.MlEngineer);
        var promoted = await engineer.PostAsJsonAsync($"/api/projects/{project}/models/{version}/promote", new { environment = "production", reason = "second pair of eyes" });
        Assert.True(promoted.StatusCode == HttpStatusCode.OK, await promoted.Content.ReadAsStringAsync());

        var audit = await WaitForAuditAsync($"target=projects/{project}/models&action=model.promote", _ => true, count: 2);
        Assert.Equal([("olga@example.com", "denied"), ("quinn@example.com", "succeeded")], audit.Select(e => (e.GetProperty("actor").GetString()!, e.GetProperty("outcome").GetString()!)).ToArray());
        Assert.All(audit, e => Assert.Equal("MlEngineer", e.GetProperty("role").GetString()));
        var decision = Assert.Single(await WaitForAuditAsync($"target=approvals/{approvalId}&action=approval.decide", _ => true, count: 1));
        Assert.Equal("olga@example.com", decision.GetProperty("actor").GetString());
        var start = Assert.Single(await WaitForAuditAsync($"target=projects/{project}/runs&action=run.start", _ => true, count: 1));
        Assert.Equal(("pete@example.com", "DataScientist", 202), (start.GetProperty("actor").GetString(), start.GetProperty("role").GetString(), start.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task MonitoringSettings_MlEngineer_ChangesOnlyMonitoringAndBadValuesNameTheField()
    {
        await server.PutProjectAsync("gov-monitoring", ServerFixture.WeatherProject);
        using var engineer = server.ClientFor("mo@example.com", Roles.MlEngineer);
        var invalid = await engineer.PutAsJsonAsync("/api/projects/gov-monitoring/monitoring/settings", new { window = "00:00:10", pValue = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["monitoring.pValue", "monitoring.window"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());

        var changed = await engineer.PutAsJsonAsync("/api/projects/gov-monitoring/monitoring/settings",
            new { window = "06:00:00", retrainOnDrift = true, alertEmails = new[] { "oncall@example.com" } });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        var project = await server.GetJsonAsync("/api/projects/gov-monitoring");
        var monitoring = project.GetProperty("monitoring");
        Assert.Equal(("06:00:00", true, "oncall@example.com"),
            (monitoring.GetProperty("window").GetString(), monitoring.GetProperty("retrainOnDrift").GetBoolean(), monitoring.GetProperty("alertEmails")[0].GetString()));
        Assert.Equal("weather", project.GetProperty("label").GetString()); // the rest of the definition is untouched
        var entry = Assert.Single(await WaitForAuditAsync("target=projects/gov-monitoring/monitoring/settings&action=monitoring.settings&actor=mo@example.com", e => e.GetProperty("status").GetInt32() == 200, count: 1));
        Assert.Equal("MlEngineer", entry.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Audit_NoOrderGiven_NewestFirstAndALimitKeepsTheLatest()
    {
        await server.PutProjectAsync("gov-order-audit", ServerFixture.WeatherProject);
        await server.PutProjectAsync("gov-order-audit", ServerFixture.WeatherProject);
        await server.PutProjectAsync("gov-order-audit", ServerFixture.WeatherProject);
        var oldest = await WaitForAuditAsync("target=projects/gov-order-audit&action=project.put", _ => true, count: 3);
        Assert.Equal(3, oldest.Count);
        var at = oldest.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(at.Order(), at);

        var byDefault = (await server.GetJsonAsync("/api/audit?target=projects/gov-order-audit&action=project.put")).GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(oldest.Select(e => e.GetProperty("id").GetString()).Reverse(), byDefault.Select(e => e.GetProperty("id").GetString()));
        var latest = Assert.Single((await server.GetJsonAsync("/api/audit?target=projects/gov-order-audit&action=project.put&limit=1")).GetProperty("entries").EnumerateArray());
        Assert.Equal(oldest[^1].GetProperty("id").GetString(), latest.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Audit_ReadersAndWriters_OnlyAdminOrAuditorReadAndNobodyChangesEntries()
    {
        await server.PutProjectAsync("gov-audit", ServerFixture.WeatherProject);
        var entries = await WaitForAuditAsync("target=projects/gov-audit&action=project.put", _ => true, count: 1);
        var entry = Assert.Single(entries);
        Assert.Equal((ServerFixture.Tester, "Admin", "succeeded"), (entry.GetProperty("actor").GetString(), entry.GetProperty("role").GetString(), entry.GetProperty("outcome").GetString()));
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("clientIp").GetString()));
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("correlationId").GetString()));

        using var auditor = server.ClientFor("aud@example.com", Roles.Auditor);
        using var scientist = server.ClientFor("sci@example.com", Roles.DataScientist);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/audit?target=projects/gov-audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync("/api/audit?target=projects/gov-audit")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/audit?from=yesterday")).StatusCode);

        // No route writes, changes or deletes entries: every other method on the audit log is refused, for admins too.
        var id = entry.GetProperty("id").GetString();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
            foreach (var path in new[] { "/api/audit", $"/api/audit/{id}" })
            {
                using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(new { actor = "nobody", outcome = "succeeded" }) };
                var response = await server.Http.SendAsync(request);
                // The log answers 405 (it exists, read-only); an entry has no route of its own.
                var expected = path == "/api/audit" ? HttpStatusCode.MethodNotAllowed : HttpStatusCode.NotFound;
                Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode}");
            }
        var after = await WaitForAuditAsync("target=projects/gov-audit&action=project.put", _ => true, count: 1);
        Assert.Equal(entry.ToString(), Assert.Single(after).ToString());
    }

    /// <summary>Audit entries are written when the response completes: polls until <paramref name="count"/> matching entries exist.</summary>
    [Theory]
    [InlineData("app:ci-client")]
    [InlineData("group:weather-team")]
    public async Task Token_UserIdLooksLikeAppOrGroup_401WithReasonAudited(string userName)
    {
        var correlation = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/projects/gov-any");
        request.Headers.Authorization = new("Bearer", DevelopmentTokens.Create(server.Issuer, userName, [Roles.Admin]));
        request.Headers.Add("X-Correlation-Id", correlation);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var failure = Assert.Single(await WaitForAuditAsync("action=login.failed", e => e.GetProperty("correlationId").GetString() == correlation, count: 1));
        Assert.Contains("reserved", failure.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PutProject_ApproversWithoutGrant_400NamesEachUntilGranted()
    {
        const string project = "gov-approver-grants";
        object Definition(params string[] approvers) => new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", kpis = new[] { new { metric = "microAccuracy", min = 0.7 } },
            approvers, escalationContacts = new[] { "walt@example.com" },
        };
        // Grants name an existing project: create it while the fixture still allows ungranted approvers.
        await server.PutProjectAsync(project, Definition("ursula@example.com"));
        var options = server.App.Services.GetRequiredService<IOptionsMonitor<ApprovalOptions>>().CurrentValue;
        options.AllowUngrantedApprovers = false;
        try
        {
            // A data scientist naming a second mailbox of their own (or anyone never granted the role) is refused.
            var refused = await server.Http.PutAsJsonAsync($"/api/projects/{project}", Definition("Vera <vera@example.com>", "ds-alias@example.com"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(["approvers[0]", "approvers[1]", "escalationContacts[0]"], errors.EnumerateObject().Select(e => e.Name).Order().ToArray());
            Assert.Contains("no Approver grant", errors.GetProperty("approvers[0]")[0].GetString());

            foreach (var grant in new object[]
            {
                new { principal = "vera@example.com", role = Roles.Approver, project },
                new { principal = "walt@example.com", role = Roles.Approver, project },
                new { principal = "xena@example.com", role = Roles.Admin, project = "*" },
            })
                Assert.Equal(HttpStatusCode.Created, (await server.Http.PostAsJsonAsync("/api/access", grant)).StatusCode);
            await server.PutProjectAsync(project, Definition("Vera <vera@example.com>"));
            await server.PutProjectAsync(project, Definition("xena@example.com"));

            var audit = await WaitForAuditAsync($"target=projects/{project}&action=project.put", e => e.GetProperty("outcome").GetString() == "succeeded", count: 3);
            Assert.Contains(audit, e => e.GetProperty("detail").GetString() == "approvers added: ursula@example.com");
            Assert.Contains(audit, e => e.GetProperty("detail").GetString() == "approvers added: vera@example.com; approvers removed: ursula@example.com");
            Assert.Contains(audit, e => e.GetProperty("detail").GetString() == "approvers added: xena@example.com; approvers removed: vera@example.com");
        }
        finally
        {
            options.AllowUngrantedApprovers = true;
        }
    }

    [Fact]
    public async Task FourEyes_ApproverListedWithDisplayName_CannotPromoteUnderAnotherForm()
    {
        const string project = "gov-four-eyes-forms";
        var (version, _) = await ApprovedUnderFourEyesAsync(project, "Olga Two <OLGA2@example.com> ", "olga2@example.com");

        using var approverAsEngineer = server.ClientFor(" Olga2@Example.COM", Roles.MlEngineer);
        var own = await approverAsEngineer.PostAsJsonAsync($"/api/projects/{project}/models/{version}/promote", new { environment = "production" });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("four eyes", await own.Content.ReadAsStringAsync());
    }

    /// <summary>A four-eyes project whose one approver is listed as <paramref name="listedAs"/>: the version <paramref name="approver"/> approved (now in staging) and the approval.</summary>
    private async Task<(int Version, string ApprovalId)> ApprovedUnderFourEyesAsync(string project, string listedAs, string approver)
    {
        await server.PutProjectAsync(project, new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", kpis = new[] { new { metric = "microAccuracy", min = 0.7 } },
            approvers = new[] { listedAs }, fourEyes = true,
            candidates = new[] { new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 8 } } },
        });
        await server.UploadWeatherAsync(project);
        var runId = await server.StartRunAsync(project, requestedBy: "pete@example.com");
        var (approvalId, token) = ServerFixture.ParseLink(await server.ApprovalLinkAsync(runId, approver));
        var decided = await server.Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" });
        Assert.True(decided.IsSuccessStatusCode, await decided.Content.ReadAsStringAsync());
        var run = await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() is not ("Running" or "AwaitingApproval"));
        Assert.True(run.GetProperty("status").GetString() == "Completed", run.ToString());
        return (run.GetProperty("modelVersion").GetInt32(), approvalId);
    }

    private async Task<List<JsonElement>> WaitForAuditAsync(string query, Func<JsonElement, bool> match, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<JsonElement> found;
        do
        {
            var page = await server.GetJsonAsync($"/api/audit?{query}&order=oldest");
            found = page.GetProperty("entries").EnumerateArray().Where(match).ToList();
            if (found.Count >= count) return found;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"Expected {count} audit entries for '{query}', found {found.Count}: {string.Join("\n", found)}");
        return found;
    }
}
