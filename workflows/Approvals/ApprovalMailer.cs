using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Orchestrator.Workflows.Approvals;

/// <summary>Email settings (section <c>Email</c>). With no SMTP host, messages go to a pickup folder as .eml files.</summary>
public sealed class EmailOptions
{
    public string From { get; set; } = "orchestrator@localhost";
    public string PickupDirectory { get; set; } = ".data/outbox";
    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>SMTP server settings (section <c>Email:Smtp</c>); the password comes from a secret store, never the repo.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary><c>None</c>, <c>StartTls</c>, <c>SslOnConnect</c> or <c>Auto</c>.</summary>
    public string Security { get; set; } = "Auto";
    public string? User { get; set; }
    public string? Password { get; set; }
}

/// <summary>An email to send: plain text and HTML bodies.</summary>
public sealed record EmailMessage(string To, string Subject, string Text, string Html);

/// <summary>Sends email through SMTP (MailKit) or drops it in the pickup folder.</summary>
public sealed class ApprovalMailer(IOptions<EmailOptions> options)
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        var settings = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();

        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            var folder = Path.GetFullPath(settings.PickupDirectory);
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml");
            // Written aside and renamed: a reader of the folder (a pickup service, a test) never sees a half-written .eml.
            var partial = file + ".partial";
            await mime.WriteToAsync(partial, ct);
            File.Move(partial, file);
            return;
        }

        using var client = new SmtpClient();
        var security = Enum.TryParse<SecureSocketOptions>(settings.Smtp.Security, ignoreCase: true, out var s) ? s : SecureSocketOptions.Auto;
        await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(settings.Smtp.User))
            await client.AuthenticateAsync(settings.Smtp.User, settings.Smtp.Password ?? "", ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
