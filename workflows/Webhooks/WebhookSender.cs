using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workflows.Webhooks;

/// <summary>POSTs a signed envelope to a subscriber. No redirects are followed: the URL subscribed is the URL called.</summary>
public sealed class WebhookSender(IOptions<WebhookOptions> options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = options.Value.Timeout,
    };

    /// <summary>Sends one attempt; returns the receiver's status code (null when it did not answer) and, unless 2xx, why it failed.</summary>
    public async Task<(int? Status, string? Error)> SendAsync(WebhookSubscription subscription, string eventType, string eventId, string body,
        DateTimeOffset now, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(subscription.Secret, body, now));
        request.Headers.Add(WebhookSignature.EventHeader, eventType);
        request.Headers.Add(WebhookSignature.DeliveryHeader, eventId);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Orchestrator-Webhooks", "1"));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return (status, status is >= 200 and < 300 ? null : $"HTTP {status} {response.ReasonPhrase}".TrimEnd());
        }
        catch (HttpRequestException e)
        {
            return (null, $"No answer: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"No answer within {_http.Timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
