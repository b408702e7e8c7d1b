using Orchestrator.Http.Security;

namespace Orchestrator.Http.Application.SignIn;

/// <summary>
/// Signs tokens of the local development issuer. Only a host that accepts those tokens (the self-hosted server with
/// <c>Auth:Development:Enabled</c>) registers one that is enabled; elsewhere (Azure, App Service authentication) the
/// development sign-in answers 404.
/// </summary>
public interface IDevelopmentTokenIssuer
{
    bool Enabled { get; }

    /// <summary>A signed token for <paramref name="user"/> with the (normalised) roles and groups, valid for <paramref name="lifetime"/>.</summary>
    string Issue(string user, IReadOnlyList<string> roles, IReadOnlyList<string> groups, TimeSpan lifetime);
}

/// <summary>The issuer of hosts without development tokens.</summary>
public sealed class NoDevelopmentTokenIssuer : IDevelopmentTokenIssuer
{
    public bool Enabled => false;

    public string Issue(string user, IReadOnlyList<string> roles, IReadOnlyList<string> groups, TimeSpan lifetime) =>
        throw new InvalidOperationException("The development issuer is not enabled.");
}

/// <summary>Who a development token is for: a user id (a mailbox, as Entra ID's <c>preferred_username</c>), roles, groups, hours.</summary>
public sealed record DevelopmentTokenRequest(string? User, IReadOnlyList<string>? Roles, IReadOnlyList<string>? Groups, double? Hours);

/// <summary>A development token and when it expires.</summary>
public sealed record DevelopmentTokenView(string Token, string User, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups, DateTimeOffset ExpiresAt);

/// <summary>
/// The development sign-in: a person picks a user and roles and gets a token of the development issuer (the portal's
/// local sign-in page, <c>orchestrator token</c>). It grants whatever is asked, so it exists only where that issuer is
/// enabled — never on Azure.
/// </summary>
public sealed class DevelopmentSignIn(IDevelopmentTokenIssuer issuer, TimeProvider clock)
{
    /// <summary>A day at most: a development token is for a session, not a service.</summary>
    public const double MaxHours = 24;

    public Outcome<DevelopmentTokenView> Issue(DevelopmentTokenRequest request)
    {
        if (!issuer.Enabled)
            return Failure.NotFound("Development sign-in is not enabled",
                "This host does not accept tokens of the development issuer (Auth:Development:Enabled); sign in with the organisation's identity provider.");
        var errors = new Dictionary<string, string[]>();
        var user = request.User?.Trim() ?? "";
        if (user.Length == 0) errors["user"] = ["A user id is required (e.g. alice@contoso.com)."];
        else if (CallerResolver.Refusal([("preferred_username", user), ("sub", user)]) is { } refused) errors["user"] = [refused];
        var roles = new List<string>();
        var given = request.Roles ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            if (Security.Roles.Normalize(given[i]) is { } role) { if (!roles.Contains(role)) roles.Add(role); }
            else errors[$"roles[{i}]"] = [$"'{given[i]}' is not a role; roles: {string.Join(", ", Security.Roles.All)}."];
        }
        var groups = (request.Groups ?? []).Select(g => g.Trim()).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var hours = request.Hours ?? 8;
        if (!double.IsFinite(hours) || hours <= 0 || hours > MaxHours) errors["hours"] = [$"Between 0 and {MaxHours} hours."];
        if (errors.Count > 0) return Failure.Invalid(errors, "The development token request has invalid fields.");
        var lifetime = TimeSpan.FromHours(hours);
        var token = issuer.Issue(user, roles, groups, lifetime);
        return Outcome<DevelopmentTokenView>.Ok(new DevelopmentTokenView(token, user, roles, groups, clock.GetUtcNow() + lifetime));
    }
}
