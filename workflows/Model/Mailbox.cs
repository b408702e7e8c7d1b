using System.Net.Mail;

namespace Orchestrator.Workflows.Model;

/// <summary>
/// One person, one identity: email addresses and caller ids reduced to one comparable form, so that
/// <c>"DS Two &lt;ds2@x.com&gt;"</c>, <c>"DS2@x.com "</c> and <c>ds2@x.com</c> are the same person for separation of
/// duties, quorum and four eyes.
/// </summary>
public static class Mailbox
{
    /// <summary>
    /// The bare, lower-case mailbox of <paramref name="address"/> (display name and surrounding spaces dropped), or false
    /// with the <paramref name="problem"/>: not an address, or several (comma- or semicolon-separated) in one entry.
    /// </summary>
    public static bool TryNormalize(string? address, out string mailbox, out string problem)
    {
        mailbox = "";
        var trimmed = address?.Trim() ?? "";
        if (trimmed.Contains(',') || trimmed.Contains(';'))
        {
            problem = $"'{trimmed}' is a list; name one address per entry.";
            return false;
        }
        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address.Any(char.IsWhiteSpace))
        {
            problem = $"'{trimmed}' is not an email address.";
            return false;
        }
        mailbox = parsed.Address.ToLowerInvariant();
        problem = "";
        return true;
    }

    /// <summary>
    /// The comparable form of an identity: the bare mailbox of an address, otherwise the value trimmed and lower-case
    /// (user names, <c>app:{id}</c>) — the form caller ids and stored approvers share.
    /// </summary>
    public static string Normalize(string? identity) =>
        TryNormalize(identity, out var mailbox, out _) ? mailbox : (identity ?? "").Trim().ToLowerInvariant();

    /// <summary>Whether two identities are the same person once both are normalised (<see cref="Normalize"/>).</summary>
    public static bool Same(string? left, string? right) =>
        left is not null && right is not null && string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);

    /// <summary>Whether <paramref name="identities"/> holds <paramref name="identity"/> once normalised.</summary>
    public static bool Contains(IEnumerable<string> identities, string? identity) => identities.Any(i => Same(i, identity));

    /// <summary>The distinct people of <paramref name="identities"/>, each in normalised form, first occurrence first.</summary>
    public static List<string> Distinct(IEnumerable<string> identities) => identities.Select(Normalize).Distinct(StringComparer.Ordinal).ToList();
}
