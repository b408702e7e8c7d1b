using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Workflows.Webhooks;

/// <summary>
/// Signs webhook bodies and verifies signatures, the Stripe way: the header
/// <c>X-Orchestrator-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{body}" with the secret&gt;</c>.
/// The timestamp is signed with the body, so a captured request cannot be replayed once it is older than the tolerance.
/// Receivers call <see cref="Verify"/> with the raw body as received.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header with the timestamp and the signature.</summary>
    public const string SignatureHeader = "X-Orchestrator-Signature";
    /// <summary>The header with the event type (e.g. <c>model.promoted</c>).</summary>
    public const string EventHeader = "X-Orchestrator-Event";
    /// <summary>The header with the event id: the same on every attempt, so receivers can de-duplicate.</summary>
    public const string DeliveryHeader = "X-Orchestrator-Delivery";
    /// <summary>How old a signature may be by default (and how far in the future, for clock skew).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, string body, DateTimeOffset timestamp)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>
    /// True when <paramref name="header"/> carries a <c>v1</c> signature of <paramref name="body"/> with
    /// <paramref name="secret"/> and a timestamp within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// False for a wrong secret, an altered body or timestamp, a stale timestamp (replay) or a malformed header.
    /// Several <c>v1</c> entries are accepted (any may match), so a sender can sign with an old and a new secret.
    /// </summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(header)) return false;
        string? t = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return false;
            var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (key == "t") t = value;
            else if (key == "v1")
            {
                try { signatures.Add(Convert.FromHexString(value)); }
                catch (FormatException) { return false; }
            }
        }
        if (t is null || signatures.Count == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        DateTimeOffset signedAt;
        try { signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds); }
        catch (ArgumentOutOfRangeException) { return false; }
        if ((now - signedAt).Duration() > tolerance) return false;
        var expected = Mac(secret, t, body);
        // Constant time: how much of a guess matches must not show in how long the check takes.
        return signatures.Aggregate(false, (any, s) => CryptographicOperations.FixedTimeEquals(s, expected) | any);
    }

    private static byte[] Mac(string secret, string t, string body) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
}
