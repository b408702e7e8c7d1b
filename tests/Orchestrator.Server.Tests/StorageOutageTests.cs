using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Orchestrator.Http.Security;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Storage stops answering and comes back: meanwhile the API answers 503 problem+json promptly (not a hang, not a 500),
/// liveness stays up, readiness says storage is down; afterwards everything answers again. Its own Azurite, stopped
/// and started by the test.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime, IDisposable
{
    private readonly AzuriteFixture _azurite = new();
    private WebApplication? _app;
    private HttpClient _http = null!;
    private readonly DevelopmentIssuerOptions _issuer = new() { Enabled = true, Key = Guid.NewGuid().ToString("N") };

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var url = $"http://127.0.0.1:{AzuriteFixture.FreePort()}";
        _app = ServerApp.Build([
            $"--AzureWebJobsStorage={_azurite.ConnectionString}", $"--Server:Urls={url}", $"--Approvals:PublicBaseUrl={url}",
            $"--Approvals:SigningKeys:0={Guid.NewGuid():N}", $"--extensions:durableTask:hubName=OutageHub", "--Retraining:Schedule=0 0 0 1 1 *",
            "--Auth:Development:Enabled=true", $"--Auth:Development:Key={_issuer.Key}",
        ]);
        await ServerApp.StartAsync(_app);
        _http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", DevelopmentTokens.Create(_issuer, "ops@example.com", [Roles.Admin], null, false));
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Api_StorageDownThenBack_503ProblemWhileDownReadinessFollowsLivenessStays()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/readyz")).StatusCode);

        await _azurite.StopAsync();
        var clock = Stopwatch.StartNew();
        var down = await _http.GetAsync("/api/projects");
        var answeredIn = clock.Elapsed;
        var text = await down.Content.ReadAsStringAsync();
        Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, text);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Storage unavailable", JsonDocument.Parse(text).RootElement.GetProperty("title").GetString());
        Assert.NotNull(down.Headers.RetryAfter);
        // Not a timing target: the SDK's default retries would hold this request for minutes.
        Assert.True(answeredIn < TimeSpan.FromSeconds(30), $"answered after {answeredIn}");

        // A route whose first storage call goes through the durable client (gRPC to the sidecar, which says only
        // "exception thrown by handler"): storage's 503 too, not a 500.
        var viaDurable = await _http.GetAsync($"/api/batches/{Guid.NewGuid():N}");
        Assert.True(viaDurable.StatusCode == HttpStatusCode.ServiceUnavailable, $"{viaDurable.StatusCode}: {await viaDurable.Content.ReadAsStringAsync()}");
        Assert.NotNull(viaDurable.Headers.RetryAfter);

        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/healthz")).StatusCode);
        var notReady = await _http.GetAsync("/readyz");
        Assert.True(notReady.StatusCode == HttpStatusCode.ServiceUnavailable, await notReady.Content.ReadAsStringAsync());
        var checks = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Contains(checks.EnumerateArray(), c => c.GetProperty("name").GetString() == "storage" && c.GetProperty("status").GetString() == "Unhealthy");

        await _azurite.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await _http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "Readiness did not come back within 60 s of storage.");
            await Task.Delay(500);
        }
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/projects")).StatusCode);
    }
}
