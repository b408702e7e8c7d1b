using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Server.Tests;

/// <summary>A webhook request as a receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, string? Signature, string? Event, string? Delivery, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP receiver on a free loopback port (Kestrel): records every POST; paths starting with <c>/fail</c>
/// answer 500, the others 200.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookListener(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    public string BaseUrl { get; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookListener> StartAsync()
    {
        var port = AzuriteFixture.FreePort();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new WebhookListener(app, $"http://127.0.0.1:{port}");
        app.MapPost("/{**path}", async (HttpRequest request, string path) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            listener._received.Enqueue(new ReceivedWebhook("/" + path, request.Headers["X-Orchestrator-Signature"], request.Headers["X-Orchestrator-Event"],
                request.Headers["X-Orchestrator-Delivery"], body, DateTimeOffset.UtcNow));
            return path.StartsWith("fail", StringComparison.Ordinal) ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        return listener;
    }

    /// <summary>Waits until what was received on <paramref name="path"/> satisfies <paramref name="done"/>; fails with what arrived after the timeout.</summary>
    public async Task<List<ReceivedWebhook>> WaitForAsync(string path, Func<List<ReceivedWebhook>, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = Received.Where(r => r.Path == path).ToList();
            if (done(received)) return received;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{path} did not receive the expected webhooks in {seconds} s; got: {string.Join(", ", received.Select(r => r.Event))}");
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
