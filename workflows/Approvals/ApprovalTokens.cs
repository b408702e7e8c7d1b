using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workflows.Approvals;

/// <summary>Settings of approval links (section <c>Approvals</c>).</summary>
public sealed class ApprovalOptions
{
    /// <summary>HMAC keys, newest first: the first signs, all verify (so a key can be rotated without breaking sent links).</summary>
    public List<string> SigningKeys { get; set; } = [];
    /// <summary>Where a generated development key is kept when no key is configured (never in the repository).</summary>
    public string KeyFile { get; set; } = ".data/approval-signing.key";
    /// <summary>Approver groups: a project may name a group instead of listing emails (<c>Approvals:Groups:sme-weather:0</c>).</summary>
    public Dictionary<string, List<string>> Groups { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Mailboxes of <paramref name="entries"/> (normalised, each person once): emails as mailboxes, group names expanded; null when a group is unknown.</summary>
    public List<string>? Resolve(IEnumerable<string> entries)
    {
        var emails = new List<string>();
        foreach (var entry in entries)
        {
            if (entry.Contains('@')) emails.Add(entry);
            else if (Groups.TryGetValue(entry, out var members)) emails.AddRange(members);
            else return null;
        }
        return Model.Mailbox.Distinct(emails);
    }

    /// <summary>
    /// Accept approvers without an Approver grant in the project (local use and tests only). Off by default: a data
    /// scientist, who writes the list, could otherwise name a second mailbox of their own.
    /// </summary>
    public bool AllowUngrantedApprovers { get; set; }

    /// <summary>Base address the emailed links point at (the public address of the API).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:7071";
}

/// <summary>What a verified token says.</summary>
public sealed record ApprovalClaims(string ApprovalId, string Approver, DateTimeOffset ExpiresAt);

/// <summary>Why a token was refused.</summary>
public enum TokenFailure { None, Malformed, BadSignature, Expired }

/// <summary>
/// Approval-link tokens: a random 256-bit nonce, the approver and the expiry, signed with HMAC-SHA256 over
/// (approvalId, approver, expiry, nonce, purpose). Verified in constant time against every configured key.
/// </summary>
public sealed class ApprovalTokens
{
    private const string Purpose = "approval-decision";
    private readonly byte[][] _keys;

    public ApprovalTokens(IOptions<ApprovalOptions> options)
    {
        var configured = options.Value.SigningKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (configured.Count == 0) configured.Add(Storage.KeyFiles.LoadOrCreate(options.Value.KeyFile));
        _keys = configured.Select(k => Encoding.UTF8.GetBytes(k)).ToArray();
    }

    public string Create(string approvalId, string approver, DateTimeOffset expiresAt)
    {
        var payload = new TokenPayload(approver, expiresAt.ToUnixTimeSeconds(), Base64Url(RandomNumberGenerator.GetBytes(32)));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        return body + "." + Base64Url(Sign(_keys[0], approvalId, payload));
    }

    public TokenFailure Verify(string approvalId, string? token, DateTimeOffset now, out ApprovalClaims? claims)
    {
        claims = null;
        if (string.IsNullOrEmpty(token) || token.Length > 2048) return TokenFailure.Malformed;
        var parts = token.Split('.');
        if (parts.Length != 2) return TokenFailure.Malformed;
        TokenPayload? payload;
        byte[] signature;
        try
        {
            payload = JsonSerializer.Deserialize<TokenPayload>(FromBase64Url(parts[0]));
            signature = FromBase64Url(parts[1]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return TokenFailure.Malformed;
        }
        if (payload is null || string.IsNullOrEmpty(payload.A) || string.IsNullOrEmpty(payload.N)) return TokenFailure.Malformed;
        // The approval id is inside the signature: a token of another approval fails here like a forged one.
        if (!_keys.Any(k => CryptographicOperations.FixedTimeEquals(Sign(k, approvalId, payload), signature)))
            return TokenFailure.BadSignature;
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.E);
        claims = new ApprovalClaims(approvalId, payload.A, expires);
        return now > expires ? TokenFailure.Expired : TokenFailure.None;
    }

    private static byte[] Sign(byte[] key, string approvalId, TokenPayload payload) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Purpose}\n{approvalId}\n{payload.A}\n{payload.E}\n{payload.N}"));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    private sealed record TokenPayload(string A, long E, string N);
}
