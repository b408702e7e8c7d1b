using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MimeKit;
using Orchestrator.Workflows.Approvals;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Orchestrator.Workflows.Tests.Approvals;

/// <summary>Sends through a real SMTP server running in-process, and through the pickup folder.</summary>
public sealed class ApprovalMailerTests
{
    private sealed class CollectingStore : MessageStore
    {
        public List<MimeMessage> Messages { get; } = [];
        public TaskCompletionSource Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Add(await MimeMessage.LoadAsync(stream, cancellationToken));
            Received.TrySetResult();
            return SmtpResponse.Ok;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static EmailMessage Message => new("sme@example.com", "Approval needed: weather", "Open http://x/api/approvals/a1?token=t", "<a href=\"http://x/api/approvals/a1?token=t\">review</a>");

    [Fact]
    public async Task SendAsync_SmtpHostSet_RealServerReceivesTextAndHtml()
    {
        var port = FreePort();
        var store = new CollectingStore();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var server = new SmtpServer.SmtpServer(options, services);
        var running = server.StartAsync(cts.Token);

        var mailer = new ApprovalMailer(Options.Create(new EmailOptions
        {
            From = "orchestrator@example.com",
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = "None" },
        }));
        await mailer.SendAsync(Message, cts.Token);
        await store.Received.Task.WaitAsync(cts.Token);
        cts.Cancel();
        await Task.WhenAny(running, Task.Delay(2000));

        var received = Assert.Single(store.Messages);
        Assert.Equal("sme@example.com", received.To.Mailboxes.Single().Address);
        Assert.Equal("Approval needed: weather", received.Subject);
        Assert.Contains("/api/approvals/a1?token=t", received.TextBody);
        Assert.Contains("href=\"http://x/api/approvals/a1?token=t\"", received.HtmlBody);
    }

    [Fact]
    public async Task SendAsync_SmtpUnreachable_Throws()
    {
        var mailer = new ApprovalMailer(Options.Create(new EmailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = FreePort(), Security = "None" } }));
        await Assert.ThrowsAnyAsync<SocketException>(() => mailer.SendAsync(Message));
    }

    [Fact]
    public async Task SendAsync_NoSmtpHost_WritesEmlToPickupFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N"));
        try
        {
            await new ApprovalMailer(Options.Create(new EmailOptions { PickupDirectory = folder })).SendAsync(Message);
            var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
            var message = await MimeMessage.LoadAsync(file);
            Assert.Contains("/api/approvals/a1?token=t", message.TextBody);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
