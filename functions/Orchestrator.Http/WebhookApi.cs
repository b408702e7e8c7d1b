using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Security;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;
using ProductJson = Orchestrator.Workflows.Storage.Json;

namespace Orchestrator.Http;

using static ApiResults;

/// <summary>
/// The webhook routes, written once (both hosts bind to them): subscriptions per project (the secret is shown once,
/// at creation), and each subscription's deliveries and dead letters.
/// </summary>
public sealed class WebhookApi(ProjectStore projectStore, WebhookStore store, TimeProvider clock, IOptions<WebhookOptions> options)
{
    private const int MinSecretLength = 16;
    private const int MaxSecretLength = 256;

    private sealed record CreateRequest(string? Project, string? Url, IReadOnlyList<string>? Events, string? Secret, string? Description);

    /// <summary>
    /// <c>POST /api/webhooks</c> <c>{ "project", "url", "events"?: [...], "secret"?, "description"? }</c>: subscribes
    /// <c>url</c> to the project's events (none listed = all) → 201 with the id and the secret (generated when absent;
    /// returned only here). 400 naming the field; 404 when the project does not exist.
    /// </summary>
    public async Task<IResult> CreateAsync(HttpRequest request, CancellationToken ct)
    {
        CreateRequest? body;
        try { body = await JsonSerializer.DeserializeAsync<CreateRequest>(request.Body, ProductJson.Options, ct); }
        catch (JsonException e) { return Invalid(new() { ["body"] = [$"Invalid JSON: {e.Message}"] }); }
        if (body is null) return Invalid(new() { ["body"] = ["A subscription object is required."] });
        var errors = new Dictionary<string, string[]>();
        if (!Names.IsValidName(body.Project)) errors["project"] = [$"'{body.Project}' is not a valid project name: lower-case letters, digits and hyphens, 2-63 characters."];
        if (CheckUrl(body.Url) is { } urlError) errors["url"] = [urlError];
        var events = (body.Events ?? []).Distinct(StringComparer.Ordinal).ToList();
        var unknown = events.Where(e => !WebhookEventTypes.All.Contains(e, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0) errors["events"] = [$"Unknown event types: {string.Join(", ", unknown)}. Known: {string.Join(", ", WebhookEventTypes.All)}."];
        if (body.Secret is { } s && (s.Length < MinSecretLength || s.Length > MaxSecretLength))
            errors["secret"] = [$"Between {MinSecretLength} and {MaxSecretLength} characters (or leave it out to have one generated)."];
        if (body.Description is { Length: > 500 }) errors["description"] = ["At most 500 characters."];
        if (errors.Count > 0) return Invalid(errors, "The subscription is invalid.");
        if (await projectStore.GetProjectAsync(body.Project!, ct) is null) return ProjectNotFound(body.Project!);
        if (AccessGate.Demand(request.HttpContext, Permission.Operate, body.Project!) is { } denied) return denied;

        var subscription = new WebhookSubscription($"wh-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10))}", body.Project!, body.Url!, events,
            body.Secret ?? $"whsec_{Base64Url(RandomNumberGenerator.GetBytes(32))}", CallerId(request),
            clock.GetUtcNow(), Description: body.Description);
        await store.PutSubscriptionAsync(subscription, ct);
        var location = $"/api/webhooks/{subscription.Id}";
        return Json(new { subscription.Id, subscription.Project, subscription.Url, subscription.Events, subscription.Secret, subscription.CreatedBy,
            subscription.CreatedAt, subscription.Active, subscription.Description, deliveriesUrl = $"{location}/deliveries" }, 201).WithLocation(location);
    }

    /// <summary><c>GET /api/webhooks?project=&amp;all=</c>: active subscriptions (with <c>all=true</c>, deleted ones too), never their secrets.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken ct)
    {
        var project = request.Query["project"].ToString();
        if (project.Length > 0)
        {
            if (CheckName(project, "project") is { } bad) return bad;
            if (await projectStore.GetProjectAsync(project, ct) is null) return ProjectNotFound(project);
        }
        var all = string.Equals(request.Query["all"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var list = await store.ListSubscriptionsAsync(project.Length > 0 ? project : null, all, ct);
        var access = AccessGate.Current(request.HttpContext);
        return Json(new { project = project.Length > 0 ? project : null, webhooks = list.Where(s => access?.Allows(Permission.Operate, s.Project) == true).Select(View) });
    }

    /// <summary><c>GET /api/webhooks/{id}</c>: one subscription, without its secret.</summary>
    public async Task<IResult> GetAsync(string id, CancellationToken ct) =>
        await FindAsync(id, ct) is { } s ? Json(View(s)) : NotFound(id);

    /// <summary><c>DELETE /api/webhooks/{id}</c>: deactivates the subscription (nothing more is delivered to it; its deliveries stay) → 204.</summary>
    public async Task<IResult> DeleteAsync(string id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } subscription) return NotFound(id);
        if (subscription.Active) await store.PutSubscriptionAsync(subscription with { Active = false, DeletedAt = clock.GetUtcNow() }, ct);
        return Results.NoContent();
    }

    /// <summary>
    /// <c>GET /api/webhooks/{id}/deliveries?status=</c>: the subscription's deliveries, newest first (status, attempts,
    /// last status code and error, the envelope sent), and its dead letters.
    /// </summary>
    public async Task<IResult> ListDeliveriesAsync(HttpRequest request, string id, CancellationToken ct)
    {
        var status = request.Query["status"].ToString();
        string[] statuses = [WebhookDeliveryStatus.Pending, WebhookDeliveryStatus.Delivered, WebhookDeliveryStatus.DeadLettered, WebhookDeliveryStatus.Skipped];
        if (status.Length > 0 && !statuses.Contains(status)) return Invalid(new() { ["status"] = [$"One of {string.Join(", ", statuses)}."] });
        if (await FindAsync(id, ct) is not { } subscription) return NotFound(id);
        var deliveries = (await store.ListDeliveriesAsync(subscription.Id, ct))
            .Where(d => status.Length == 0 || d.Delivery.Status == status)
            .Select(d => new
            {
                d.Delivery.EventId, d.Delivery.EventType, d.Delivery.Status, d.Delivery.Attempts, d.Delivery.LastStatusCode, d.Delivery.LastError,
                d.Delivery.CreatedAt, d.Delivery.LastAttemptAt, d.Delivery.DeliveredAt, d.Delivery.DeadLetteredAt,
                @event = JsonSerializer.Deserialize<JsonElement>(d.Body),
            }).ToList();
        return Json(new { subscriptionId = subscription.Id, subscription.Project, deliveries, deadLetters = deliveries.Where(d => d.Status == WebhookDeliveryStatus.DeadLettered) });
    }

    private async Task<WebhookSubscription?> FindAsync(string id, CancellationToken ct) =>
        Names.IsValidId(id) ? await store.GetSubscriptionAsync(id, ct) : null;

    private static IResult NotFound(string id) => Problem(404, "Webhook not found", $"No webhook subscription '{id}'.");

    private static object View(WebhookSubscription s) => new
    {
        s.Id, s.Project, s.Url, s.Events, s.CreatedBy, s.CreatedAt, s.Active, s.Description, s.DeletedAt, deliveriesUrl = $"/api/webhooks/{s.Id}/deliveries",
    };

    /// <summary>Why <paramref name="url"/> cannot be subscribed, or null: absolute, https (http only when <c>Webhooks:AllowHttp</c>), no credentials.</summary>
    private string? CheckUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "An absolute URL such as https://example.com/hooks/orchestrator is required.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.Value.AllowHttp))
            return options.Value.AllowHttp ? "Must be an http or https URL." : "Must be an https URL (http is accepted only where Webhooks:AllowHttp is set).";
        if (uri.UserInfo.Length > 0) return "Must not carry credentials; the signature authenticates the sender.";
        return null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
