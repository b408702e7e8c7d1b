using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="WebhooksApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class WebhooksFunctions(ApiInvoker api)
{
    [Function(nameof(WebhooksApi.CreateWebhook))]
    public Task<IActionResult> CreateWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + WebhooksApi.WebhooksRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(WebhooksApi.ListWebhooks))]
    public Task<IActionResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + WebhooksApi.WebhooksRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(WebhooksApi.GetWebhook))]
    public Task<IActionResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + WebhooksApi.WebhookRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(WebhooksApi.DeleteWebhook))]
    public Task<IActionResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoute.PathPrefix + WebhooksApi.WebhookRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(WebhooksApi.ListWebhookDeliveries))]
    public Task<IActionResult> ListWebhookDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + WebhooksApi.DeliveriesRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
