using Orchestrator.Http.Security;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>The SME step through HTTP: quorum, concurrency, reminders and escalation, cancellation, rejection loop-back.</summary>
[Collection(ServerCollection.Name)]
public sealed class SmeValidationTests(ServerFixture server)
{
    private static object Project(object approvers, int quorum = 1, string remindAfter = "24:00:00", string escalateAfter = "72:00:00",
        string[]? contacts = null, string timeout = "168:00:00") => new
    {
        task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
        kpis = new[] { new { metric = "microAccuracy", min = 0.7 } },
        approvers, quorum, remindAfter, escalateAfter, escalationContacts = contacts ?? [], approvalTimeout = timeout,
    };

    private Task<HttpResponseMessage> DecideAsync(Uri link, string decision, string? comment = null, string? reason = null)
    {
        var (id, token) = ServerFixture.ParseLink(link);
        return server.Http.PostAsJsonAsync($"/api/approvals/{id}", new { token, decision, comment, reason });
    }

    private static bool Ended(JsonElement run) => run.GetProperty("status").GetString() is not ("Running" or "AwaitingApproval");

    private async Task<string> RunToApprovalAsync(string project, object definition, string? requestedBy = null)
    {
        await server.PutProjectAsync(project, definition);
        await server.UploadWeatherAsync(project);
        var runId = await server.StartRunAsync(project, requestedBy: requestedBy);
        await server.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() != "Running");
        return runId;
    }

    [Fact]
    public async Task Quorum_TwoApproversFromAGroupClickAtOnce_BothRecordedAndRunCompletes()
    {
        var runId = await RunToApprovalAsync("sme-quorum", Project(new[] { "weather-smes" }, quorum: 2));
        var ann = await server.ApprovalLinkAsync(runId, "ann@example.com");
        var ben = await server.ApprovalLinkAsync(runId, "ben@example.com");

        // Ann double-clicks while Ben clicks: one decision per approver, none lost.
        var responses = await Task.WhenAll(DecideAsync(ann, "approve"), DecideAsync(ann, "approve"), DecideAsync(ben, "approve"));
        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.Conflict, Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK).StatusCode);

        var run = await server.WaitForRunAsync(runId, Ended);
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var decisions = run.GetProperty("approval").GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("approver").GetString()).Order().ToList();
        Assert.Equal(["ann@example.com", "ben@example.com"], decisions);
        var model = Assert.Single((await server.GetJsonAsync("/api/projects/sme-quorum/models")).GetProperty("versions").EnumerateArray());
        Assert.Contains("ann@example.com", model.GetProperty("approvedBy").GetString());
        Assert.Contains("ben@example.com", model.GetProperty("approvedBy").GetString());
    }

    [Fact]
    public async Task Quorum_OneApprovalOfTwo_StaysAwaitingAndListedForTheOther()
    {
        var runId = await RunToApprovalAsync("sme-pending", Project(new[] { "cat@example.com", "dan@example.com" }, quorum: 2));
        var cat = await server.ApprovalLinkAsync(runId, "cat@example.com");
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(cat, "approve")).StatusCode);
        await Task.Delay(1500);
        Assert.Equal("AwaitingApproval", (await server.GetJsonAsync($"/api/runs/{runId}")).GetProperty("status").GetString());

        var forDan = await server.GetJsonAsync("/api/approvals?status=pending&approver=dan@example.com");
        Assert.Contains(forDan.GetProperty("approvals").EnumerateArray(), a => a.GetProperty("runId").GetString() == runId);
        var forCat = await server.GetJsonAsync("/api/approvals?status=pending&approver=cat@example.com");
        Assert.DoesNotContain(forCat.GetProperty("approvals").EnumerateArray(), a => a.GetProperty("runId").GetString() == runId);
        // By run and project: exactly this run's request.
        var ofRun = await server.GetJsonAsync($"/api/approvals?project=sme-pending&run={runId}");
        Assert.Equal((1, runId), (ofRun.GetProperty("total").GetInt32(), ofRun.GetProperty("approvals")[0].GetProperty("runId").GetString()));
        Assert.Equal(0, (await server.GetJsonAsync($"/api/approvals?project=another-project&run={runId}")).GetProperty("total").GetInt32());

        // Resend: fresh links to whoever has not decided.
        var (approvalId, _) = ServerFixture.ParseLink(cat);
        var before = await server.EmailCountAsync(runId, "dan@example.com");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"/api/approvals/{approvalId}/resend", null)).StatusCode);
        Assert.Equal(before + 1, await server.EmailCountAsync(runId, "dan@example.com"));
        Assert.Equal(1, await server.EmailCountAsync(runId, "cat@example.com"));
    }

    [Fact]
    public async Task Reject_WithReason_RunRejectedThenRerunLinksToIt()
    {
        var runId = await RunToApprovalAsync("sme-rerun", Project(new[] { "eve@example.com" }));
        var link = await server.ApprovalLinkAsync(runId, "eve@example.com");
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(link, "reject", "Too few fog days to trust it.", "data")).StatusCode);
        var rejected = await server.WaitForRunAsync(runId, Ended);
        Assert.Equal("Rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("data", rejected.GetProperty("approval").GetProperty("reason").GetString());

        // A decision after the rejection: 409 showing the decision already made.
        var again = await DecideAsync(link, "approve");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("reject", await again.Content.ReadAsStringAsync());

        var rerun = await server.Http.PostAsJsonAsync($"/api/runs/{runId}/rerun", new
        {
            candidates = new[] { new { trainer = "LightGbm", parameters = new Dictionary<string, double> { ["numberOfLeaves"] = 12, ["numberOfIterations"] = 60 } } },
        });
        var body = JsonDocument.Parse(await rerun.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        var second = body.GetProperty("runId").GetString()!;
        Assert.Equal((runId, 2), (body.GetProperty("previousRunId").GetString(), body.GetProperty("attempt").GetInt32()));

        var waiting = await server.WaitForRunAsync(second, r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal(1, waiting.GetProperty("progress").GetProperty("trialsTotal").GetInt32());
        Assert.Equal([second, runId], waiting.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("runId").GetString()));
        Assert.Equal("Rejected", waiting.GetProperty("attempts")[1].GetProperty("status").GetString());

        // Rejected again; the third attempt searches instead (random search override).
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await server.ApprovalLinkAsync(second, "eve@example.com"), "reject", "still not", "metric")).StatusCode);
        await server.WaitForRunAsync(second, Ended);
        var third = await server.Http.PostAsJsonAsync($"/api/runs/{second}/rerun", new
        {
            searchSpace = new
            {
                strategy = "random", maxTrials = 2, seed = 5,
                trainers = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new { l2Regularization = new { values = new[] { 0.5, 1, 2 } } } } },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        var thirdId = JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        var searched = await server.WaitForRunAsync(thirdId, r => r.GetProperty("status").GetString() != "Running");
        Assert.Equal(2, searched.GetProperty("progress").GetProperty("trialsTotal").GetInt32());
        Assert.All(searched.GetProperty("trials").EnumerateArray(), t => Assert.Equal("LbfgsMaximumEntropy", t.GetProperty("trainer").GetString()));
        Assert.Equal(3, searched.GetProperty("attempts").GetArrayLength());
    }

    [Fact]
    public async Task Rerun_ActiveRun_409()
    {
        var runId = await RunToApprovalAsync("sme-active", Project(new[] { "fay@example.com" }));
        Assert.Equal(HttpStatusCode.Conflict, (await server.Http.PostAsJsonAsync($"/api/runs/{runId}/rerun", new { })).StatusCode);
    }

    [Fact]
    public async Task Cancel_ByOwner_RunCancelledAndLaterDecision409()
    {
        var runId = await RunToApprovalAsync("sme-cancel", Project(new[] { "gus@example.com" }), requestedBy: "owner@example.com");
        var link = await server.ApprovalLinkAsync(runId, "gus@example.com");
        var (approvalId, _) = ServerFixture.ParseLink(link);

        using var someone = server.ClientFor("someone@example.com", Roles.DataScientist);
        using var owner = server.ClientFor("owner@example.com", Roles.DataScientist);
        Assert.Equal(HttpStatusCode.Forbidden, (await someone.PostAsJsonAsync($"/api/approvals/{approvalId}/cancel", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/api/approvals/{approvalId}/cancel", new { comment = "wrong data" })).StatusCode);

        var run = await server.WaitForRunAsync(runId, Ended);
        Assert.Equal("Cancelled", run.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await DecideAsync(link, "approve")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsJsonAsync($"/api/approvals/{approvalId}/cancel", new { })).StatusCode);
    }

    [Theory]
    [InlineData("sme-duties", "hal@example.com")]
    // The starter's own address, written as another person would be: still the starter.
    [InlineData("sme-duties-forms", "Hal Two <HAL@example.com> ")]
    public async Task SeparationOfDuties_OwnerCannotApproveOwnRun_403(string project, string ownerListedAs)
    {
        var runId = await RunToApprovalAsync(project, Project(new[] { ownerListedAs, "ida@example.com" }), requestedBy: "hal@example.com");
        var own = await DecideAsync(await server.ApprovalLinkAsync(runId, "hal@example.com"), "approve");
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("Separation of duties", await own.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await server.ApprovalLinkAsync(runId, "ida@example.com"), "approve")).StatusCode);
        Assert.Equal("Completed", (await server.WaitForRunAsync(runId, Ended)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task PutProject_QuorumOfOneMailboxWrittenTwice_400NamesQuorum()
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/sme-quorum-forms", Project(new[] { "DS Two <ds2@example.com>", "ds2@example.com ", "DS2@EXAMPLE.COM" }, quorum: 2));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("only 1 approvers", errors.GetProperty("quorum")[0].GetString());
    }

    [Fact]
    public async Task PutProject_AddressForms_StoredAsBareMailboxes()
    {
        await server.PutProjectAsync("sme-address-forms", Project(new[] { "Ann Smith <ANN@example.com>", " ben@Example.com ", "ben@example.com" },
            contacts: ["Boss <boss@example.com>"]));
        var project = await server.GetJsonAsync("/api/projects/sme-address-forms");
        Assert.Equal(["ann@example.com", "ben@example.com"], project.GetProperty("approvers").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal(["boss@example.com"], project.GetProperty("escalationContacts").EnumerateArray().Select(a => a.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("ann@example.com, ben@example.com")]
    [InlineData("ann@example.com;ben@example.com")]
    public async Task PutProject_ListInOneApproverEntry_400NamesTheEntry(string entry)
    {
        var response = await server.Http.PutAsJsonAsync("/api/projects/sme-list-entry", Project(new[] { entry }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("one address per entry", errors.GetProperty("approvers[0]")[0].GetString());
    }

    [Fact]
    public async Task ReminderAndEscalation_ShortTimers_ContactGetsOwnLinkAndDecides()
    {
        var runId = await RunToApprovalAsync("sme-escalate",
            Project(new[] { "jo@example.com" }, remindAfter: "00:00:02", escalateAfter: "00:00:05", contacts: ["lead@example.com"], timeout: "00:02:00"));

        await server.ApprovalLinkAsync(runId, "jo@example.com", "Reminder", seconds: 30);
        var lead = await server.ApprovalLinkAsync(runId, "lead@example.com", "Escalated", seconds: 30);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(lead, "approve")).StatusCode);

        var run = await server.WaitForRunAsync(runId, Ended);
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        var approval = run.GetProperty("approval");
        Assert.Equal(1, approval.GetProperty("reminders").GetInt32());
        Assert.Equal(["lead@example.com"], approval.GetProperty("escalated").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ApprovalPage_GetIsSafeAndShowsTheModelCard()
    {
        var runId = await RunToApprovalAsync("sme-page", Project(new[] { "kim@example.com" }));
        var link = await server.ApprovalLinkAsync(runId, "kim@example.com");

        var page = await server.Http.GetAsync(link.PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.StartsWith("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("Confusion matrix", html);
        Assert.Contains("Recall per class", html);
        Assert.Contains("What the model relies on", html);
        Assert.Contains("1461 rows received", html);
        Assert.Contains("width=device-width", html);
        Assert.Contains("name=\"reason\"", html);

        // Prefetching the link (twice) decided nothing.
        await server.Http.GetAsync(link.PathAndQuery);
        var run = await server.GetJsonAsync($"/api/runs/{runId}");
        Assert.Equal("AwaitingApproval", run.GetProperty("status").GetString());
        Assert.Empty(run.GetProperty("approval").GetProperty("decisions").EnumerateArray());

        var expiredPage = await server.Http.GetAsync(link.AbsolutePath + "?token=" + Uri.EscapeDataString(ServerFixture.ParseLink(link).Token[..^3] + "xyz"));
        Assert.Equal(HttpStatusCode.Forbidden, expiredPage.StatusCode);
    }

    [Fact]
    public async Task Decide_BadReason_400NamesTheField()
    {
        var response = await server.Http.PostAsJsonAsync("/api/approvals/0123456789abcdef0123456789abcdef", new { token = "x", decision = "reject", reason = "mood" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"reason\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PutProject_PolicyFields_RoundTripWithDefaultsAndExpireAfterAlias()
    {
        await server.PutProjectAsync("sme-policy", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "weather-smes" },
            quorum = 2, expireAfter = "PT96H", escalationContacts = new[] { "lead@example.com" },
        });
        var project = await server.GetJsonAsync("/api/projects/sme-policy");
        Assert.Equal(("96:00:00", "24:00:00", "72:00:00", 2),
            (project.GetProperty("approvalTimeout").GetString(), project.GetProperty("remindAfter").GetString(),
             project.GetProperty("escalateAfter").GetString(), project.GetProperty("quorum").GetInt32()));

        var tooMany = await server.Http.PutAsJsonAsync("/api/projects/sme-policy", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "weather-smes" }, quorum = 3,
        });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("only 2 approvers", await tooMany.Content.ReadAsStringAsync());

        var unknownGroup = await server.Http.PutAsJsonAsync("/api/projects/sme-policy", new
        {
            task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "nobody-group" },
        });
        Assert.Contains("approvers[0]", await unknownGroup.Content.ReadAsStringAsync());
    }
}
