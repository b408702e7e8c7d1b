using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workflows.Webhooks;

/// <summary>
/// POSTs a signed envelope to a subscriber. No redirects are followed and no proxy from the environment is used: the URL
/// subscribed is the URL called; and unless <see cref="WebhookOptions.AllowPrivateNetworks"/>, the address connected to
/// must be a public one.
/// </summary>
public sealed class WebhookSender(IOptions<WebhookOptions> options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        // HTTP(S)_PROXY from the environment would send every delivery (and its signature) through whatever it names.
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options.Value.AllowPrivateNetworks, ct),
    })
    {
        Timeout = options.Value.Timeout,
    };

    /// <summary>Resolves, refuses non-public addresses (checked here, at connect time, so DNS rebinding cannot slip past), connects.</summary>
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        var addresses = await ResolveAsync(endpoint.Host, ct);
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
    /// The addresses a host name stands for: a literal as it is; <c>localhost</c> and its subdomains, with or without
    /// the trailing dot of a fully qualified name, as loopback whatever DNS says (RFC 6761); any other name from DNS.
    /// </summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var name = host.Trim('[', ']').TrimEnd('.');
        if (IPAddress.TryParse(name, out var literal)) return [literal];
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        return await Dns.GetHostAddressesAsync(name, ct);
    }

    /// <summary>
    /// Loopback, unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 — cloud metadata
    /// endpoints — and fe80::/10), shared (100.64/10), benchmarking (198.18/15), IETF (192.0.0/24), multicast and
    /// reserved addresses, and the host's own. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
    /// NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside; Teredo (2001::/32) is refused outright.
    /// </summary>
    public static bool IsNonPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } inside) return IsNonPublic(inside);
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None)) return true;
        if (HostAddresses.Value.Contains(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            var teredo = v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0 && v6[3] == 0;
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || teredo;
        }
        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || (b[0] == 198 && b[1] is 18 or 19) || (b[0] == 192 && b[1] == 0 && b[2] == 0);
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var b = address.GetAddressBytes();
        if (b.Take(12).All(x => x == 0) && !address.Equals(IPAddress.IPv6Loopback) && !address.Equals(IPAddress.IPv6Any)) return new IPAddress(b[12..16]); // ::a.b.c.d
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Skip(4).Take(8).All(x => x == 0)) return new IPAddress(b[12..16]); // 64:ff9b::/96
        if (b[0] == 0x20 && b[1] == 0x02) return new IPAddress(b[2..6]); // 2002:aabb:ccdd::/48
        return null;
    }

    /// <summary>The addresses of this host's own interfaces (a public address of the server itself is not a receiver).</summary>
    private static readonly Lazy<HashSet<IPAddress>> HostAddresses = new(() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToHashSet());

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
