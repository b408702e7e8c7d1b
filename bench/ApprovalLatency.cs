using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Server;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Bench;

/// <summary>
/// Time from an SME's POST (approve) to the approval orchestration's next step, measured in the orchestration's own
/// timeline (the instance's last-updated time when it completes on the decision), for given queue polling settings.
/// </summary>
public static class ApprovalLatency
{
    /// <param name="Milliseconds">POST → the approval orchestration completes on the decision (its own timeline).</param>
    /// <param name="ObservedMilliseconds">POST → a client polling the run every 10 ms sees it leave AwaitingApproval.</param>
    public sealed record Result(string Setting, List<double> Milliseconds, List<double> ObservedMilliseconds);

    public static async Task<Result> RunAsync(string storage, string seattleCsv, TimeSpan maxPolling, int repetitions, TimeSpan idle)
    {
        var port = FreePort();
        var outbox = Path.Combine(Path.GetTempPath(), "bench-outbox-" + Guid.NewGuid().ToString("N"));
        var hub = $"Bench{DateTime.UtcNow:HHmmss}{(int)maxPolling.TotalMilliseconds}";
        var app = ServerApp.Build([
            $"--AzureWebJobsStorage={storage}", $"--Server:Urls=http://127.0.0.1:{port}", $"--Approvals:PublicBaseUrl=http://127.0.0.1:{port}",
            $"--Approvals:SigningKeys:0={Guid.NewGuid():N}", $"--Email:PickupDirectory={outbox}", $"--extensions:durableTask:hubName={hub}",
            $"--extensions:durableTask:storageProvider:maxQueuePollingInterval={maxPolling}", "--Retraining:Schedule=0 0 0 1 1 *",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await ServerApp.StartAsync(app);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var client = app.Services.GetRequiredService<DurableTaskClient>();
            var project = "bench-approval";
            (await http.PutAsJsonAsync($"/api/projects/{project}", new
            {
                task = "multiclass", label = "weather", primaryMetric = "microAccuracy", approvers = new[] { "sme@example.com" },
                candidates = new[] { new { trainer = "LbfgsMaximumEntropy", parameters = new Dictionary<string, double> { ["l2Regularization"] = 1 } } },
            })).EnsureSuccessStatusCode();
            using (var csv = new StreamContent(File.OpenRead(seattleCsv)))
            {
                csv.Headers.ContentType = new("text/csv");
                (await http.PostAsync($"/api/projects/{project}/datasets/weather", csv)).EnsureSuccessStatusCode();
            }

            var samples = new List<double>();
            var observed = new List<double>();
            for (var i = 0; i < repetitions; i++)
            {
                var start = await http.PostAsJsonAsync($"/api/projects/{project}/runs", new { dataset = "weather" });
                var runId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
                var link = await WaitForLinkAsync(outbox, runId);
                var approvalInstance = ApprovalOrchestrator.InstanceIdFor(runId);
                await WaitAsync(async () => (await client.GetInstanceAsync(approvalInstance))?.RuntimeStatus == OrchestrationRuntimeStatus.Running);
                await Task.Delay(idle); // let the orchestration and its queue poller go idle, as while waiting for a person

                var approvalId = link.AbsolutePath.Split('/').Last();
                var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query)["token"].ToString();
                var posted = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                (await http.PostAsJsonAsync($"/api/approvals/{approvalId}", new { token, decision = "approve" })).EnsureSuccessStatusCode();
                await WaitAsync(async () => await StatusAsync(http, runId) != "AwaitingApproval", TimeSpan.FromMilliseconds(10));
                observed.Add(clock.Elapsed.TotalMilliseconds);
                OrchestrationMetadata? done = null;
                await WaitAsync(async () => (done = await client.GetInstanceAsync(approvalInstance))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
                samples.Add((done!.LastUpdatedAt - posted).TotalMilliseconds);
                // Let the run finish (deployment) before the next one, so repetitions do not overlap.
                await WaitAsync(async () => await StatusAsync(http, runId) == "Completed");
            }
            return new Result($"maxQueuePollingInterval {maxPolling.TotalMilliseconds:0} ms", samples, observed);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (Directory.Exists(outbox)) Directory.Delete(outbox, true);
        }
    }

    private static async Task<Uri> WaitForLinkAsync(string outbox, string runId)
    {
        Uri? link = null;
        await WaitAsync(async () =>
        {
            foreach (var file in Directory.Exists(outbox) ? Directory.GetFiles(outbox) : [])
            {
                var text = await File.ReadAllTextAsync(file);
                if (!text.Contains(runId)) continue;
                link = new Uri(Regex.Match(text, @"https?://\S+/api/approvals/[0-9a-f]+\?token=[^\s""<]+").Value);
                return true;
            }
            return false;
        });
        return link!;
    }

    private static async Task<string?> StatusAsync(HttpClient http, string runId) =>
        JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{runId}")).RootElement.GetProperty("status").GetString();

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan? every = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("Condition not reached in 2 minutes.");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(20));
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
