using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Orchestrator.Http.Security;
using Orchestrator.Server;

namespace Orchestrator.Server.Tests;

/// <summary>The self-hosted server, for real, against its own Azurite: tests talk to it over HTTP on loopback.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();
    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string Outbox { get; } = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N"));

    /// <summary>The development issuer's settings of this server: tests mint their callers' tokens with them.</summary>
    public DevelopmentIssuerOptions Issuer { get; } = new() { Enabled = true, Key = Guid.NewGuid().ToString("N") };

    /// <summary>Who <see cref="Http"/> signs in as: an administrator (every permission), so tests of a stage need no grants.</summary>
    public const string Tester = "tester@example.com";

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        BaseUrl = $"http://127.0.0.1:{AzuriteFixture.FreePort()}";
        App = ServerApp.Build([
            $"--AzureWebJobsStorage={Azurite.ConnectionString}",
            $"--Server:Urls={BaseUrl}",
            $"--Approvals:PublicBaseUrl={BaseUrl}",
            $"--Approvals:SigningKeys:0={Guid.NewGuid():N}",
            $"--Email:PickupDirectory={Outbox}",
            "--extensions:durableTask:hubName=TestHub",
            "--Approvals:Groups:weather-smes:0=ann@example.com",
            "--Approvals:Groups:weather-smes:1=ben@example.com",
            // Most tests name approvers without granting them; ApproverGrantTests turn the check on.
            "--Approvals:AllowUngrantedApprovers=true",
            // The timer would only add noise; tests drive the retraining scheduler directly.
            "--Retraining:Schedule=0 0 0 1 1 *",
            // Small enough that a test can stream past it.
            $"--Uploads:MaxBytes={MaxUploadBytes}",
            "--Auth:Development:Enabled=true",
            $"--Auth:Development:Key={Issuer.Key}",
            // Webhook receivers are local listeners on http; retries short enough to dead-letter within a test.
            "--Webhooks:AllowHttp=true",
            "--Webhooks:AllowPrivateNetworks=true",
            "--Webhooks:MaxAttempts=3",
            "--Webhooks:FirstRetryInterval=00:00:00.500",
        ]);
        await ServerApp.StartAsync(App);
        Http = ClientFor(Tester, Roles.Admin);
    }

    /// <summary>A development token for a user (or a service principal) with roles and groups.</summary>
    public string Token(string user, IEnumerable<string> roles, IEnumerable<string>? groups = null, bool service = false) =>
        DevelopmentTokens.Create(Issuer, user, roles, groups, service);

    /// <summary>A client signed in as <paramref name="user"/> with <paramref name="roles"/> (none: an anonymous client).</summary>
    public HttpClient ClientFor(string? user, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (user is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", Token(user, roles));
        return client;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Azurite.DisposeAsync();
        if (Directory.Exists(Outbox)) Directory.Delete(Outbox, recursive: true);
    }

    public const long MaxUploadBytes = 32L * 1024 * 1024;

    /// <summary>A valid multiclass project on seattle-weather's <c>weather</c> label.</summary>
    public static readonly object WeatherProject = new
    {
        task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
        kpis = new[] { new { metric = "microAccuracy", min = 0.7 } }, approvers = new[] { "sme@example.com" },
    };

    /// <summary>A weather project that trains one quick candidate (L-BFGS) and asks <paramref name="approver"/>.</summary>
    public static object QuickWeatherProject(string approver) => new
    {
        task = "multiclass", label = "weather", primaryMetric = "microAccuracy",
        kpis = new[] { new { metric = "microAccuracy", min = 0.5 } }, approvers = new[] { approver },
        candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
    };

    public static string VegaData(string name) => Path.Combine(AzuriteFixture.RepoRoot, "infra", "local", "node_modules", "vega-datasets", "data", name);

    public static string SeattleWeatherCsv => Path.Combine(AzuriteFixture.RepoRoot, "infra", "local", "node_modules", "vega-datasets", "data", "seattle-weather.csv");

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Polls a run until <paramref name="done"/> says so; fails with the last state after the timeout.</summary>
    public async Task<JsonElement> WaitForRunAsync(string runId, Func<JsonElement, bool> done, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement run;
        do
        {
            run = await GetJsonAsync($"/api/runs/{runId}");
            if (done(run)) return run;
            await Task.Delay(500);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"Run {runId} did not reach the expected state in {seconds} s; last: {run}");
        return run;
    }

    public async Task PutProjectAsync(string name, object definition)
    {
        var response = await Http.PutAsJsonAsync($"/api/projects/{name}", definition);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads the seattle-weather CSV and waits for the version to be curated; returns the version.</summary>
    public async Task<int> UploadWeatherAsync(string project, string dataset = "weather") =>
        (await UploadReadyAsync($"/api/projects/{project}/datasets/{dataset}", await File.ReadAllBytesAsync(SeattleWeatherCsv), "text/csv"))
            .GetProperty("version").GetInt32();

    /// <summary>Uploads bytes, expects a new version (201, or 202 then Ready) and returns it.</summary>
    public async Task<JsonElement> UploadReadyAsync(string path, byte[] bytes, string contentType)
    {
        var version = await UploadAsync(path, bytes, contentType);
        Assert.True(version.GetProperty("status").GetString() == "Ready", version.ToString());
        return version;
    }

    /// <summary>Uploads bytes and returns the version once its ingestion has finished (Ready or Failed), whatever the status code.</summary>
    public async Task<JsonElement> UploadAsync(string path, byte[] bytes, string contentType)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new(contentType);
        var response = await Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.Accepted or System.Net.HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {text}");
        var location = response.Headers.Location?.ToString() ?? JsonDocument.Parse(text).RootElement.GetProperty("statusUrl").GetString()!;
        return await WaitForVersionAsync(location);
    }

    /// <summary>Polls a dataset version until its ingestion has finished (Ready or Failed); fails after the timeout.</summary>
    public async Task<JsonElement> WaitForVersionAsync(string location, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement version;
        while ((version = await GetJsonAsync(location)).GetProperty("status").GetString() == "Pending")
        {
            Assert.True(DateTime.UtcNow < deadline, $"Ingestion did not finish in {seconds} s: {version}");
            await Task.Delay(300);
        }
        return version;
    }

    /// <summary>Starts a run as <see cref="Http"/>'s caller, or as the data scientist <paramref name="requestedBy"/>.</summary>
    public async Task<string> StartRunAsync(string project, string dataset = "weather", string? requestedBy = null)
    {
        using var scientist = requestedBy is null ? null : ClientFor(requestedBy, Roles.DataScientist);
        var response = await (scientist ?? Http).PostAsJsonAsync($"/api/projects/{project}/runs", new { dataset });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("runId").GetString()!;
    }

    /// <summary>Decides the approval emailed to <paramref name="approver"/> for <paramref name="runId"/> and returns the run once it has ended.</summary>
    public async Task<JsonElement> DecideAndWaitAsync(string runId, string approver, string decision, string? comment = null)
    {
        var (approvalId, token) = ParseLink(await ApprovalLinkAsync(runId, approver));
        var decided = await Http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision, comment });
        Assert.True(decided.IsSuccessStatusCode, await decided.Content.ReadAsStringAsync());
        return await WaitForRunAsync(runId, r => r.GetProperty("status").GetString() is not ("Running" or "AwaitingApproval"));
    }

    /// <summary>The approval id and token of an emailed link.</summary>
    public static (string ApprovalId, string Token) ParseLink(Uri link) =>
        (link.AbsolutePath.Split('/').Last(), Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query)["token"].ToString());

    /// <summary>How many emails about <paramref name="runId"/> went to <paramref name="recipient"/>.</summary>
    public async Task<int> EmailCountAsync(string runId, string recipient)
    {
        var count = 0;
        foreach (var file in Directory.Exists(Outbox) ? Directory.GetFiles(Outbox, "*.eml") : [])
        {
            var message = await MimeKit.MimeMessage.LoadAsync(file);
            if ((message.TextBody ?? "").Contains(runId) && message.To.Mailboxes.Any(m => m.Address == recipient)) count++;
        }
        return count;
    }

    /// <summary>An email of the pickup folder, or null while the server is still writing it (the file is locked).</summary>
    private static async Task<MimeKit.MimeMessage?> TryLoadAsync(string file)
    {
        try { return await MimeKit.MimeMessage.LoadAsync(file); }
        catch (IOException) { return null; }
    }

    /// <summary>The approval link emailed for <paramref name="runId"/> to <paramref name="approver"/> (read from the pickup folder).</summary>
    public async Task<Uri> ApprovalLinkAsync(string runId, string approver, string? subjectStartsWith = null, int seconds = 30)
    {
        for (var i = 0; i < seconds * 2; i++)
        {
            foreach (var file in Directory.Exists(Outbox) ? Directory.GetFiles(Outbox, "*.eml") : [])
            {
                if (await TryLoadAsync(file) is not { } message) continue; // still being written: read on the next round
                var text = message.TextBody ?? "";
                if (text.Contains(runId) && message.To.Mailboxes.Any(m => m.Address == approver)
                    && (subjectStartsWith is null || (message.Subject ?? "").StartsWith(subjectStartsWith, StringComparison.Ordinal)))
                    return new Uri(System.Text.RegularExpressions.Regex.Match(text, @"https?://\S+/api/approvals/\S+").Value);
            }
            await Task.Delay(500);
        }
        Assert.Fail($"No approval email for run {runId} to {approver}{(subjectStartsWith is null ? "" : $" with subject '{subjectStartsWith}…'")}.");
        return null!;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
