namespace Orchestrator.Workflows.Webhooks;

/// <summary>
/// A project's subscription: where to POST which events (none listed = all), signed with its secret. Deleting one
/// deactivates it, so its deliveries stay visible.
/// </summary>
public sealed record WebhookSubscription(string Id, string Project, string Url, IReadOnlyList<string> Events, string Secret,
    string? CreatedBy, DateTimeOffset CreatedAt, bool Active = true, string? Description = null, DateTimeOffset? DeletedAt = null)
{
    /// <summary>True when this subscription is active and receives events of <paramref name="type"/>.</summary>
    public bool Wants(string type) => Active && (Events.Count == 0 || Events.Contains(type, StringComparer.Ordinal));
}

/// <summary>Where a delivery stands.</summary>
public static class WebhookDeliveryStatus
{
    /// <summary>Published, not yet delivered (waiting for dispatch, or between attempts).</summary>
    public const string Pending = "Pending";
    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "Delivered";
    /// <summary>Every attempt failed: kept as a dead letter with the last status and error.</summary>
    public const string DeadLettered = "DeadLettered";
    /// <summary>The subscription was deleted before the event could be delivered.</summary>
    public const string Skipped = "Skipped";
}

/// <summary>
/// One event for one subscription (key: subscription id, event id), from its publication to its last attempt; a dead
/// letter is this record with status <see cref="WebhookDeliveryStatus.DeadLettered"/> and when it became one.
/// </summary>
public sealed record WebhookDelivery(string SubscriptionId, string EventId, string EventType, string Project, string Status, int Attempts,
    int? LastStatusCode, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt = null, DateTimeOffset? DeliveredAt = null,
    DateTimeOffset? DeadLetteredAt = null);

/// <summary>Input of the delivery orchestration: which delivery, and how to retry it (read from the settings when it was dispatched).</summary>
public sealed record WebhookDeliveryInput(string SubscriptionId, string EventId, int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient,
    TimeSpan MaxRetryInterval);

/// <summary>Input of the delivery and dead-letter activities.</summary>
public sealed record WebhookAttemptInput(string SubscriptionId, string EventId, string? Error = null);

/// <summary>A receiver did not answer 2xx (or not at all); the delivery activity fails so that it is retried.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);
