using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Tests;

/// <summary>Deliveries only reach public addresses unless the deployment allows its own network (SSRF).</summary>
public class WebhookSenderTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.5")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")] // cloud instance metadata
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    [InlineData("198.18.0.1")]
    [InlineData("192.0.0.8")]
    [InlineData("255.255.255.255")]
    public void IsNonPublic_PrivateLoopbackLinkLocal_True(string address) => Assert.True(WebhookSender.IsNonPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    public void IsNonPublic_PublicAddress_False(string address) => Assert.False(WebhookSender.IsNonPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("LOCALHOST.")] // a name with a trailing dot resolves like any other and is judged by its address
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task SendAsync_LoopbackReceiverNotAllowed_RefusedBeforeConnecting(string host)
    {
        // A real listener: if the guard did not hold, the request would reach it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var sender = new WebhookSender(Options.Create(new WebhookOptions()));
        var subscription = new WebhookSubscription("wh-1", "p", $"http://{host}:{port}/hook", [], "secret-secret-secret", null, DateTimeOffset.UtcNow);

        var (status, error) = await sender.SendAsync(subscription, "model.promoted", "e1", "{}", DateTimeOffset.UtcNow);

        Assert.Null(status);
        Assert.Contains("Webhooks:AllowPrivateNetworks", error);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task SendAsync_LoopbackReceiverAllowed_Delivered()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answer = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 204;
            context.Response.Close();
            return context.Request.Headers[WebhookSignature.SignatureHeader];
        });
        using var sender = new WebhookSender(Options.Create(new WebhookOptions { AllowPrivateNetworks = true }));
        var subscription = new WebhookSubscription("wh-1", "p", $"http://127.0.0.1:{port}/hook", [], "secret-secret-secret", null, DateTimeOffset.UtcNow);

        var (status, error) = await sender.SendAsync(subscription, "model.promoted", "e1", "{}", DateTimeOffset.UtcNow);

        Assert.Equal((204, (string?)null), (status, error));
        Assert.StartsWith("t=", await answer);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
