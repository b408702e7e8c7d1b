using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Webhooks;

/// <summary>
/// Publishes events to the project's subscriptions through an outbox: for each active subscription that wants the
/// event, a keyed outbox row and a delivery row (with the envelope) are written — nothing is sent here, so the caller
/// (an activity of the lifecycle, or a route) never waits for a receiver. A dispatcher with a Durable Task client hands
/// the outbox to <c>WebhookDeliveryOrchestrator</c>s. A project without subscriptions costs one partition query.
/// Publish before the state change it announces is written: a retried step then publishes again under the same event
/// id, which is harmless, instead of finding its change done and the event lost.
/// </summary>
public sealed class WebhookPublisher(WebhookStore store, DatasetStore datasets) : IDisposable
{
    private readonly SemaphoreSlim _published = new(0, 1);

    /// <summary>
    /// Records <paramref name="e"/> for every subscription that wants it; returns how many. Subscribers are not among
    /// a restricted dataset's readers: its events go out without the facts computed from its rows.
    /// </summary>
    public async Task<int> PublishAsync(WebhookEvent e, CancellationToken ct = default)
    {
        var subscriptions = (await store.ListSubscriptionsAsync(e.Project, ct: ct)).Where(s => s.Wants(e.Type)).ToList();
        if (subscriptions.Count == 0) return 0;
        if (e.Dataset is { } dataset && (await datasets.GetDatasetAsync(e.Project, dataset, ct))?.RestrictedTo is { Count: > 0 }) e = e.WithoutDatasetFacts();
        var body = Json.Serialize(e);
        foreach (var s in subscriptions)
        {
            // Outbox first: should the second write fail, the retried publish still finds the delivery to dispatch.
            await store.AddToOutboxAsync(s.Id, e.Id, ct);
            await store.AddDeliveryAsync(new WebhookDelivery(s.Id, e.Id, e.Type, e.Project, WebhookDeliveryStatus.Pending, 0, null, null, e.OccurredAt), body, ct);
        }
        if (_published.CurrentCount == 0)
        {
            try { _published.Release(); }
            catch (SemaphoreFullException) { } // another publish signalled at the same moment
        }
        return subscriptions.Count;
    }

    /// <summary>Waits until something is published in this process or <paramref name="timeout"/> passes (for the dispatcher's loop).</summary>
    public Task<bool> WaitForPublishAsync(TimeSpan timeout, CancellationToken ct) => _published.WaitAsync(timeout, ct);

    public void Dispose() => _published.Dispose();
}
