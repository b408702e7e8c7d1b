using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Orchestrator.Http;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Server;

/// <summary>
/// The server's webhook dispatcher: hands the outbox to delivery orchestrations as soon as something is published in
/// this process (activities run here), and every <c>Webhooks:DispatchInterval</c> for what other processes published.
/// </summary>
public sealed class WebhookDispatchLoop(WebhookPublisher publisher, WebhookDispatcher dispatcher, DurableTaskClient client,
    IOptions<WebhookOptions> options, ILogger<WebhookDispatchLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await publisher.WaitForPublishAsync(options.Value.DispatchInterval, stoppingToken);
                await dispatcher.DispatchAsync(client, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Webhook dispatch failed; trying again on the next tick");
            }
        }
    }
}
