using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Application.Webhooks;
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
            Permission = Permission.Operate, Audit = "webhook.create", Summary = "Subscribe a URL to a project's events", AnswersOk = false, Success = [201], Problems = [400, 404],
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

    public static Task<ApiResult<WebhookCreatedView>> CreateWebhook(HttpContext context, JsonBody<WebhookRequest> body, WebhookService webhooks,
        CancellationToken ct) =>
        webhooks.CreateAsync(body.Value, AccessGate.Current(context), ct).ToApi();

    public static Task<ApiResult<WebhooksView>> ListWebhooks(HttpContext context, string? project, string? all, WebhookService webhooks, CancellationToken ct) =>
        webhooks.ListAsync(project, all, AccessGate.Current(context), ct).ToApi();

    public static Task<ApiResult<WebhookView>> GetWebhook(string id, WebhookService webhooks, CancellationToken ct) => webhooks.GetAsync(id, ct).ToApi();

    public static Task<ApiResult<NoBody>> DeleteWebhook(string id, WebhookService webhooks, CancellationToken ct) => webhooks.DeleteAsync(id, ct).ToApi();

    public static Task<ApiResult<WebhookDeliveriesView>> ListWebhookDeliveries(string id, string? status, WebhookService webhooks, CancellationToken ct) =>
        webhooks.ListDeliveriesAsync(id, status, ct).ToApi();
}
