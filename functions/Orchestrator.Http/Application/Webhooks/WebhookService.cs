using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Api;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Http.Application.Webhooks;

/// <summary>
/// Subscriptions to a project's events (the secret is shown once, at creation), and each subscription's deliveries and
/// dead letters. Routes on one subscription are checked in its project by the access gate; creating and listing
/// check the project they name here.
/// </summary>
public sealed class WebhookService(ProjectStore projectStore, WebhookStore store, TimeProvider clock, IOptions<WebhookOptions> options)
{
    private const int MinSecretLength = 16;
    private const int MaxSecretLength = 256;

    private static readonly string[] DeliveryStatuses =
        [WebhookDeliveryStatus.Pending, WebhookDeliveryStatus.Delivered, WebhookDeliveryStatus.DeadLettered, WebhookDeliveryStatus.Skipped];

    /// <summary>
    /// Subscribes the URL to the project's events (none listed: all) → created, with the secret (generated when
    /// absent). Invalid naming the field; not found when the project does not exist; forbidden unless the caller
    /// operates that project.
    /// </summary>
    public async Task<Outcome<WebhookCreatedView>> CreateAsync(WebhookRequest request, AccessContext? access, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Names.IsValidName(request.Project))
            errors["project"] = [$"'{request.Project}' is not a valid project name: lower-case letters, digits and hyphens, 2-63 characters."];
        if (CheckUrl(request.Url) is { } urlError) errors["url"] = [urlError];
        var events = (request.Events ?? []).Distinct(StringComparer.Ordinal).ToList();
        var unknown = events.Where(e => !WebhookEventTypes.All.Contains(e, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0) errors["events"] = [$"Unknown event types: {string.Join(", ", unknown)}. Known: {string.Join(", ", WebhookEventTypes.All)}."];
        if (request.Secret is { } s && (s.Length < MinSecretLength || s.Length > MaxSecretLength))
            errors["secret"] = [$"Between {MinSecretLength} and {MaxSecretLength} characters (or leave it out to have one generated)."];
        if (request.Description is { Length: > 500 }) errors["description"] = ["At most 500 characters."];
        if (errors.Count == 0 && await NonPublicTargetAsync(new Uri(request.Url!), ct) is { } inside) errors["url"] = [inside];
        if (errors.Count > 0) return Failure.Invalid(errors, "The subscription is invalid.");
        var project = request.Project!;
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        // The route admits anyone who operates some project; the subscription's project is known only from the body.
        if (Checks.Access<WebhookCreatedView>(access, Permission.Operate, project) is { } refused) return refused;

        var subscription = new WebhookSubscription($"wh-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10))}", project, request.Url!, events,
            request.Secret ?? $"whsec_{Base64Url(RandomNumberGenerator.GetBytes(32))}", access?.Caller.Id, clock.GetUtcNow(), Description: request.Description);
        await store.PutSubscriptionAsync(subscription, ct);
        return Outcome<WebhookCreatedView>.Created(WebhookCreatedView.Of(subscription), WebhookUrls.Subscription(subscription.Id));
    }

    /// <summary>
    /// The active subscriptions (with <paramref name="all"/> <c>true</c>, deleted ones too) of the projects the caller
    /// operates, of <paramref name="project"/> only when given.
    /// </summary>
    public async Task<Outcome<WebhooksView>> ListAsync(string? project, string? all, AccessContext? access, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(project)) project = null;
        else
        {
            if (Checks.Name(project, "project") is { } bad) return bad;
            if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        }
        var list = await store.ListSubscriptionsAsync(project, string.Equals(all, "true", StringComparison.OrdinalIgnoreCase), ct);
        return Outcome<WebhooksView>.Ok(new WebhooksView(project,
            list.Where(s => access?.Allows(Permission.Operate, s.Project) == true).Select(WebhookView.Of).ToList()));
    }

    /// <summary>One subscription, without its secret.</summary>
    public async Task<Outcome<WebhookView>> GetAsync(string id, CancellationToken ct) =>
        await FindAsync(id, ct) is { } subscription ? Outcome<WebhookView>.Ok(WebhookView.Of(subscription)) : NotFound(id);

    /// <summary>Deactivates the subscription: nothing more is delivered to it; its deliveries stay.</summary>
    public async Task<Outcome<NoBody>> DeleteAsync(string id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } subscription) return NotFound(id);
        if (subscription.Active) await store.PutSubscriptionAsync(subscription with { Active = false, DeletedAt = clock.GetUtcNow() }, ct);
        return Outcome<NoBody>.NoContent();
    }

    /// <summary>The subscription's deliveries, newest first (of one <paramref name="status"/> when given), and its dead letters.</summary>
    public async Task<Outcome<WebhookDeliveriesView>> ListDeliveriesAsync(string id, string? status, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(status) && !DeliveryStatuses.Contains(status)) return Failure.Invalid("status", $"One of {string.Join(", ", DeliveryStatuses)}.");
        if (await FindAsync(id, ct) is not { } subscription) return NotFound(id);
        var deliveries = (await store.ListDeliveriesAsync(subscription.Id, ct))
            .Where(d => string.IsNullOrEmpty(status) || d.Delivery.Status == status)
            .Select(d => WebhookDeliveryView.Of(d.Delivery, d.Body)).ToList();
        return Outcome<WebhookDeliveriesView>.Ok(new WebhookDeliveriesView(subscription.Id, subscription.Project, deliveries,
            deliveries.Where(d => d.Status == WebhookDeliveryStatus.DeadLettered).ToList()));
    }

    private async Task<WebhookSubscription?> FindAsync(string id, CancellationToken ct) =>
        Names.IsValidId(id) ? await store.GetSubscriptionAsync(id, ct) : null;

    private static Failure NotFound(string id) => Failure.NotFound("Webhook not found", $"No webhook subscription '{id}'.");

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

    /// <summary>
    /// Why the URL's host is not a receiver (it resolves to a loopback, private or otherwise non-public address), or
    /// null. The same judgement as at delivery, where it is made again on every connection; a name that does not
    /// resolve yet is left to that check.
    /// </summary>
    private async Task<string?> NonPublicTargetAsync(Uri url, CancellationToken ct)
    {
        if (options.Value.AllowPrivateNetworks) return null;
        System.Net.IPAddress[] addresses;
        try { addresses = await WebhookSender.ResolveAsync(url.Host, ct); }
        catch (System.Net.Sockets.SocketException) { return null; }
        return addresses.FirstOrDefault(WebhookSender.IsNonPublic) is { } inside
            ? $"'{url.Host}' is a loopback, private or otherwise non-public address ({inside}); Webhooks:AllowPrivateNetworks allows it."
            : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
