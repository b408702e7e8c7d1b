using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>Signed webhook subscriptions to a project's events, and their deliveries.</summary>
public static class WebhooksApi
{
    public const string WebhooksRoute = "webhooks";
    public const string WebhookRoute = "webhooks/{id}";
    public const string DeliveriesRoute = WebhookRoute + "/deliveries";

    public static readonly ApiResource Resource = new("Webhooks", "Subscriptions to a project's events, delivered signed (HMAC-SHA256) with retries and dead letters.",
    [
        new(nameof(CreateWebhook), "POST", WebhooksRoute, CreateWebhook)
        {
            Permission = Permission.Operate, Audit = "webhook.create", Summary = "Subscribe a URL to a project's events", Success = [201], Problems = [400, 404],
        },
        new(nameof(ListWebhooks), "GET", WebhooksRoute, ListWebhooks) { Permission = Permission.Operate, Summary = "List subscriptions", Problems = [400, 404] },
        new(nameof(GetWebhook), "GET", WebhookRoute, GetWebhook)
        {
            Permission = Permission.Operate, Scope = AccessScope.Webhook, Summary = "Read a subscription", Problems = [404],
        },
        new(nameof(DeleteWebhook), "DELETE", WebhookRoute, DeleteWebhook)
        {
            Permission = Permission.Operate, Scope = AccessScope.Webhook, Audit = "webhook.delete", Summary = "Deactivate a subscription", Success = [204], Problems = [404],
        },
        new(nameof(ListWebhookDeliveries), "GET", DeliveriesRoute, ListWebhookDeliveries)
        {
            Permission = Permission.Operate, Scope = AccessScope.Webhook, Summary = "A subscription's deliveries and dead letters", Problems = [400, 404],
        },
    ]);

    public static Task<IResult> CreateWebhook(HttpRequest r, WebhookApi api, CancellationToken ct) => api.CreateAsync(r, ct);

    public static Task<IResult> ListWebhooks(HttpRequest r, WebhookApi api, CancellationToken ct) => api.ListAsync(r, ct);

    public static Task<IResult> GetWebhook(string id, WebhookApi api, CancellationToken ct) => api.GetAsync(id, ct);

    public static Task<IResult> DeleteWebhook(string id, WebhookApi api, CancellationToken ct) => api.DeleteAsync(id, ct);

    public static Task<IResult> ListWebhookDeliveries(HttpRequest r, string id, WebhookApi api, CancellationToken ct) => api.ListDeliveriesAsync(r, id, ct);
}
