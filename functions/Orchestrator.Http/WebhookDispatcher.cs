using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Http;

/// <summary>
/// Hands the webhook outbox to delivery orchestrations, with a Durable Task client: the server's dispatch loop, the
/// Functions app's timer, and every route that publishes call it. One delivery orchestration per (subscription,
/// event): an instance that exists already is not started again, so an event published twice is delivered once.
/// </summary>
public sealed class WebhookDispatcher(WebhookStore store, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> log) : IDisposable
{
    private const int Batch = 100;
    private readonly SemaphoreSlim _gate = new(1, 1); // the loop and routes of one process do not dispatch the same row at once

    /// <summary>Starts the delivery of what is waiting in the outbox; returns how many deliveries it started.</summary>
    public async Task<int> DispatchAsync(DurableTaskClient client, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var started = 0;
            var settings = options.Value;
            foreach (var (subscriptionId, eventId) in await store.ListOutboxAsync(Batch, ct))
            {
                var instanceId = InstanceIds.WebhookDelivery(subscriptionId, eventId);
                try
                {
                    if (await client.GetInstanceAsync(instanceId, ct) is null)
                    {
                        await client.ScheduleNewOrchestrationInstanceAsync(nameof(WebhookDeliveryOrchestrator),
                            new WebhookDeliveryInput(subscriptionId, eventId, settings.MaxAttempts, settings.FirstRetryInterval, settings.BackoffCoefficient, settings.MaxRetryInterval),
                            new StartOrchestrationOptions { InstanceId = instanceId }, ct);
                        started++;
                    }
                    await store.RemoveFromOutboxAsync(subscriptionId, eventId, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Left in the outbox: the next dispatch tries again.
                    log.LogWarning(e, "Could not start the delivery of event {EventId} to webhook {SubscriptionId}", eventId, subscriptionId);
                }
            }
            return started;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// <see cref="DispatchAsync"/> for a route that has already done its work: a failure is logged, not answered — the
    /// events stay in the outbox for the next dispatch.
    /// </summary>
    public async Task TryDispatchAsync(DurableTaskClient client, CancellationToken ct = default)
    {
        try { await DispatchAsync(client, ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Webhook dispatch failed; the outbox is dispatched again later");
        }
    }

    public void Dispose() => _gate.Dispose();
}
