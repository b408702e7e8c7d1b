using Microsoft.DurableTask;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Activities;

/// <summary>
/// One delivery attempt: POSTs the recorded envelope, signed now, and records the attempt. Throws unless the receiver
/// answered 2xx, so the orchestration's retry policy tries again. A delivered event is not sent again; a deleted
/// subscription's is skipped.
/// </summary>
public sealed class DeliverWebhookActivity(WebhookStore store, WebhookSender sender, TimeProvider clock) : TaskActivity<WebhookAttemptInput, WebhookDelivery>
{
    public override async Task<WebhookDelivery> RunAsync(TaskActivityContext context, WebhookAttemptInput input)
    {
        var (delivery, body) = await store.GetDeliveryAsync(input.SubscriptionId, input.EventId)
            ?? throw new InvalidOperationException($"No delivery of event {input.EventId} to webhook {input.SubscriptionId}.");
        if (delivery.Status is WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Skipped) return delivery;
        var now = clock.GetUtcNow();
        if (await store.GetSubscriptionAsync(input.SubscriptionId) is not { Active: true } subscription)
        {
            delivery = delivery with { Status = WebhookDeliveryStatus.Skipped, LastError = "The subscription was deleted.", LastAttemptAt = now };
            await store.PutDeliveryAsync(delivery);
            return delivery;
        }
        var (status, error) = await sender.SendAsync(subscription, delivery.EventType, delivery.EventId, body, now);
        delivery = delivery with
        {
            Attempts = delivery.Attempts + 1, LastStatusCode = status, LastError = error, LastAttemptAt = now,
            Status = error is null ? WebhookDeliveryStatus.Delivered : WebhookDeliveryStatus.Pending, DeliveredAt = error is null ? now : null,
        };
        await store.PutDeliveryAsync(delivery);
        return error is null ? delivery : throw new WebhookDeliveryException(error);
    }
}

/// <summary>Turns a delivery whose attempts are spent into a dead letter: status, attempts, last status and error, and when.</summary>
public sealed class DeadLetterWebhookActivity(WebhookStore store, TimeProvider clock) : TaskActivity<WebhookAttemptInput, WebhookDelivery>
{
    public override async Task<WebhookDelivery> RunAsync(TaskActivityContext context, WebhookAttemptInput input)
    {
        var (delivery, _) = await store.GetDeliveryAsync(input.SubscriptionId, input.EventId)
            ?? throw new InvalidOperationException($"No delivery of event {input.EventId} to webhook {input.SubscriptionId}.");
        if (delivery.Status == WebhookDeliveryStatus.DeadLettered) return delivery;
        delivery = delivery with { Status = WebhookDeliveryStatus.DeadLettered, LastError = delivery.LastError ?? input.Error, DeadLetteredAt = clock.GetUtcNow() };
        await store.PutDeliveryAsync(delivery);
        return delivery;
    }
}
