using System.Text.Json;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Http.Application.Webhooks;

/// <summary>
/// A subscription to create: the project, the URL to POST its events to, which events (none listed: all), the secret
/// to sign them with (generated when left out) and a description.
/// </summary>
public sealed record WebhookRequest(string? Project, string? Url, IReadOnlyList<string>? Events, string? Secret, string? Description);

/// <summary>A subscription, never with its secret: where its events go, which, who made it, whether it is still active, and where its deliveries are.</summary>
public sealed record WebhookView(string Id, string Project, string Url, IReadOnlyList<string> Events, string? CreatedBy, DateTimeOffset CreatedAt,
    bool Active, string? Description, DateTimeOffset? DeletedAt, string DeliveriesUrl)
{
    public static WebhookView Of(WebhookSubscription s) =>
        new(s.Id, s.Project, s.Url, s.Events, s.CreatedBy, s.CreatedAt, s.Active, s.Description, s.DeletedAt, WebhookUrls.Deliveries(s.Id));
}

/// <summary>A subscription just created, with its secret: the one answer that shows it.</summary>
public sealed record WebhookCreatedView(string Id, string Project, string Url, IReadOnlyList<string> Events, string Secret, string? CreatedBy,
    DateTimeOffset CreatedAt, bool Active, string? Description, string DeliveriesUrl)
{
    public static WebhookCreatedView Of(WebhookSubscription s) =>
        new(s.Id, s.Project, s.Url, s.Events, s.Secret, s.CreatedBy, s.CreatedAt, s.Active, s.Description, WebhookUrls.Deliveries(s.Id));
}

/// <summary>The subscriptions the caller may operate, of one project when the query names it (else null).</summary>
public sealed record WebhooksView(string? Project, IReadOnlyList<WebhookView> Webhooks);

/// <summary>One event's delivery to a subscription: where it stands, its attempts and last answer, and the envelope sent (as JSON).</summary>
public sealed record WebhookDeliveryView(string EventId, string EventType, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset? DeadLetteredAt, JsonElement Event)
{
    public static WebhookDeliveryView Of(WebhookDelivery d, string body) =>
        new(d.EventId, d.EventType, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.LastAttemptAt, d.DeliveredAt, d.DeadLetteredAt,
            JsonSerializer.Deserialize<JsonElement>(body));
}

/// <summary>A subscription's deliveries, newest first, and those of them that are dead letters.</summary>
public sealed record WebhookDeliveriesView(string SubscriptionId, string Project, IReadOnlyList<WebhookDeliveryView> Deliveries,
    IReadOnlyList<WebhookDeliveryView> DeadLetters);

/// <summary>Where the API shows a subscription and its deliveries.</summary>
public static class WebhookUrls
{
    public static string Subscription(string id) => $"/api/webhooks/{id}";

    public static string Deliveries(string id) => Subscription(id) + "/deliveries";
}
