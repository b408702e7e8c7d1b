using Azure;
using Azure.Data.Tables;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Webhooks;

/// <summary>
/// Webhook state in Table storage. <c>webhooks</c>: subscriptions (PartitionKey = project, RowKey = id).
/// <c>webhookdeliveries</c>: one row per (subscription, event) with the envelope as sent (PartitionKey = subscription id,
/// RowKey = event id), and the outbox (PartitionKey <c>~outbox</c>): deliveries published but not yet handed to a
/// delivery orchestration. Every write is keyed, so a retried publish or attempt overwrites its own row.
/// </summary>
public sealed class WebhookStore(TableServiceClient tables)
{
    public const string SubscriptionsTable = "webhooks";
    public const string DeliveriesTable = "webhookdeliveries";
    private const string OutboxPartition = "~outbox";
    private readonly CreatedTable _subscriptions = new(tables, SubscriptionsTable);
    private readonly CreatedTable _deliveries = new(tables, DeliveriesTable);

    // ---- subscriptions ----

    public async Task PutSubscriptionAsync(WebhookSubscription subscription, CancellationToken ct = default)
    {
        var table = await _subscriptions.GetAsync(ct);
        await table.UpsertEntityAsync(new TableEntity(subscription.Project, subscription.Id) { ["Json"] = Json.Serialize(subscription), ["Active"] = subscription.Active },
            TableUpdateMode.Replace, ct);
    }

    /// <summary>A subscription by id (ids are unique across projects), or null.</summary>
    public async Task<WebhookSubscription?> GetSubscriptionAsync(string id, CancellationToken ct = default)
    {
        var table = await _subscriptions.GetAsync(ct);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.RowKey == id, cancellationToken: ct))
            return Json.Deserialize<WebhookSubscription>(e.GetString("Json"));
        return null;
    }

    /// <summary>Subscriptions of a project (or of every project), oldest first; only active ones unless <paramref name="all"/>.</summary>
    public async Task<List<WebhookSubscription>> ListSubscriptionsAsync(string? project, bool all = false, CancellationToken ct = default)
    {
        var table = await _subscriptions.GetAsync(ct);
        var filter = (project, all) switch
        {
            (null, true) => null,
            (null, false) => "Active eq true",
            (_, true) => TableClient.CreateQueryFilter($"PartitionKey eq {project}"),
            _ => TableClient.CreateQueryFilter($"PartitionKey eq {project} and Active eq {true}"),
        };
        var query = table.QueryAsync<TableEntity>(filter, cancellationToken: ct);
        var list = new List<WebhookSubscription>();
        await foreach (var e in query) list.Add(Json.Deserialize<WebhookSubscription>(e.GetString("Json")));
        return list.OrderBy(s => s.CreatedAt).ToList();
    }

    // ---- deliveries ----

    /// <summary>Records a new delivery with the envelope to send; a delivery already recorded (a retried publish) is left as it is.</summary>
    public async Task AddDeliveryAsync(WebhookDelivery delivery, string body, CancellationToken ct = default)
    {
        var table = await _deliveries.GetAsync(ct);
        try
        {
            await table.AddEntityAsync(new TableEntity(delivery.SubscriptionId, delivery.EventId) { ["Json"] = Json.Serialize(delivery), ["Body"] = body }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Published before: the first envelope is the one delivered, byte for byte.
        }
    }

    /// <summary>A delivery and the envelope it sends, or null.</summary>
    public async Task<(WebhookDelivery Delivery, string Body)?> GetDeliveryAsync(string subscriptionId, string eventId, CancellationToken ct = default)
    {
        var table = await _deliveries.GetAsync(ct);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(subscriptionId, eventId, cancellationToken: ct);
        return response.HasValue && response.Value is { } e ? (Json.Deserialize<WebhookDelivery>(e.GetString("Json")), e.GetString("Body")) : null;
    }

    /// <summary>Updates a delivery's state (the envelope stays).</summary>
    public async Task PutDeliveryAsync(WebhookDelivery delivery, CancellationToken ct = default)
    {
        var table = await _deliveries.GetAsync(ct);
        await table.UpsertEntityAsync(new TableEntity(delivery.SubscriptionId, delivery.EventId) { ["Json"] = Json.Serialize(delivery) }, TableUpdateMode.Merge, ct);
    }

    /// <summary>A subscription's deliveries with their envelopes, newest first.</summary>
    public async Task<List<(WebhookDelivery Delivery, string Body)>> ListDeliveriesAsync(string subscriptionId, CancellationToken ct = default)
    {
        var table = await _deliveries.GetAsync(ct);
        var list = new List<(WebhookDelivery, string)>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == subscriptionId, cancellationToken: ct))
            list.Add((Json.Deserialize<WebhookDelivery>(e.GetString("Json")), e.GetString("Body")));
        return list.OrderByDescending(d => d.Item1.CreatedAt).ToList();
    }

    // ---- outbox ----

    private static string OutboxRow(string subscriptionId, string eventId) => $"{subscriptionId}.{eventId}";

    /// <summary>Marks a delivery as waiting to be handed to its orchestration.</summary>
    public async Task AddToOutboxAsync(string subscriptionId, string eventId, CancellationToken ct = default)
    {
        var table = await _deliveries.GetAsync(ct);
        await table.UpsertEntityAsync(new TableEntity(OutboxPartition, OutboxRow(subscriptionId, eventId)) { ["SubscriptionId"] = subscriptionId, ["EventId"] = eventId },
            TableUpdateMode.Replace, ct);
    }

    /// <summary>Up to <paramref name="max"/> deliveries waiting in the outbox.</summary>
    public async Task<List<(string SubscriptionId, string EventId)>> ListOutboxAsync(int max, CancellationToken ct = default)
    {
        var table = await _deliveries.GetAsync(ct);
        var list = new List<(string, string)>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == OutboxPartition, maxPerPage: max, cancellationToken: ct))
        {
            list.Add((e.GetString("SubscriptionId"), e.GetString("EventId")));
            if (list.Count >= max) break;
        }
        return list;
    }

    public async Task RemoveFromOutboxAsync(string subscriptionId, string eventId, CancellationToken ct = default)
    {
        var table = await _deliveries.GetAsync(ct);
        await table.DeleteEntityAsync(OutboxPartition, OutboxRow(subscriptionId, eventId), ETag.All, ct);
    }
}
