namespace Orchestrator.Workflows.Webhooks;

/// <summary>Webhook settings (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Accept <c>http://</c> subscription URLs (loopback and development only); https only by default.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Deliver to loopback, private, link-local and other non-public addresses (local development, receivers inside the
    /// network). Off by default: a subscription must not turn the engine into a probe of its own network (SSRF) — the
    /// address is checked when the connection is made, so a name that later resolves inside is refused too.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Delivery attempts before a delivery is dead-lettered (the first one included).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait before the second attempt; each later wait is <see cref="BackoffCoefficient"/> times longer.</summary>
    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Growth of the wait between attempts (exponential backoff).</summary>
    public double BackoffCoefficient { get; set; } = 2;

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one attempt waits for the receiver's answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the self-hosted server looks for events to deliver when none was published in its own process.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);
}
