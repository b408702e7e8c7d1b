using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workflows.Webhooks;

/// <summary>
/// POSTs a signed envelope to a subscriber. No redirects are followed: the URL subscribed is the URL called; and unless
/// <see cref="WebhookOptions.AllowPrivateNetworks"/>, the address connected to must be a public one.
/// </summary>
public sealed class WebhookSender(IOptions<WebhookOptions> options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options.Value.AllowPrivateNetworks, ct),
    })
    {
        Timeout = options.Value.Timeout,
    };

    /// <summary>Resolves, refuses non-public addresses (checked here, at connect time, so DNS rebinding cannot slip past), connects.</summary>
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        if (!allowPrivate && addresses.FirstOrDefault(IsNonPublic) is { } refused)
            throw new HttpRequestException($"Refused: {endpoint.Host} is a private, loopback or link-local address ({refused}); Webhooks:AllowPrivateNetworks allows it.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loopback, unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 — cloud metadata
    /// endpoints — and fe80::/10), shared (100.64/10) and multicast addresses; IPv4-mapped IPv6 is judged as IPv4.
    /// </summary>
    public static bool IsNonPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }

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
