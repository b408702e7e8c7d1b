using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Http.Security;

/// <summary>Who calls: a person (by email or user name) or a service principal, with the roles and groups of its token.</summary>
/// <param name="Id">The identity recorded everywhere (<c>requestedBy</c>, <c>by</c>, the audit log): email or user name for people, <c>app:{id}</c> for services.</param>
/// <param name="Roles">App roles from the token: grants across every project and environment.</param>
/// <param name="Groups">Group ids or names from the token, for grants to groups and restricted datasets.</param>
/// <param name="IsService">A service principal (client credentials), not a person.</param>
public sealed record Caller(string Id, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups, bool IsService)
{
    /// <summary>The principals grants can name for this caller: itself and each of its groups (<c>group:{name}</c>).</summary>
    public IEnumerable<string> Principals => Groups.Select(g => "group:" + g).Prepend(Id);
}

/// <summary>
/// Turns a request into a <see cref="Caller"/> — one code path for both hosts: the bearer token the server's JWT
/// middleware validated (<see cref="HttpContext.User"/>), or, in Azure Functions behind App Service authentication,
/// the <c>X-MS-CLIENT-PRINCIPAL</c> header the platform sets (trusted only when <see cref="AuthOptions.AppServiceAuthentication"/> says the app runs behind it).
/// </summary>
public static class CallerResolver
{
    public const string AppServicePrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    // Stable identity claims only: the display name ("name") is free text anyone can share, so it never names a caller.
    private static readonly string[] UserClaims =
        ["preferred_username", "email", "upn", ClaimTypes.Email, ClaimTypes.Upn, "unique_name", ClaimTypes.Name];
    private static readonly string[] AppIdClaims = ["azp", "appid", "sub", ClaimTypes.NameIdentifier];
    private static readonly string[] RoleClaims = ["roles", "role", ClaimTypes.Role];
    private static readonly string[] GroupClaims = ["groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"];

    /// <summary>The caller, or null when the request carries no accepted identity.</summary>
    public static Caller? Resolve(HttpContext context, AuthOptions options)
    {
        if (context.User.Identity?.IsAuthenticated == true) return FromClaims(context.User.Claims.Select(c => (c.Type, c.Value)));
        if (options.AppServiceAuthentication && context.Request.Headers[AppServicePrincipalHeader].ToString() is { Length: > 0 } header)
            return FromAppServiceHeader(header);
        return null;
    }

    /// <summary>A caller from token claims (raw JWT claim names, or their long WS-* forms).</summary>
    public static Caller? FromClaims(IEnumerable<(string Type, string Value)> claims)
    {
        var list = claims.ToList();
        var id = Id(list, out var service, out _);
        if (id is null) return null;
        var roles = list.Where(c => RoleClaims.Contains(c.Type)).Select(c => Security.Roles.Normalize(c.Value)).OfType<string>().Distinct().ToList();
        var groups = list.Where(c => GroupClaims.Contains(c.Type)).Select(c => c.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new Caller(id, roles, groups, service);
    }

    /// <summary>Why claims that carry credentials name no caller (for the audit of a refused login), or null when they name one.</summary>
    public static string? Refusal(IEnumerable<(string Type, string Value)> claims)
    {
        Id(claims.ToList(), out _, out var refusal);
        return refusal;
    }

    /// <summary>
    /// The caller's normalised id (<see cref="Mailbox.Normalize"/>: trimmed, lower-case, a bare mailbox): a person's
    /// from the user claims, otherwise <c>app:{id}</c>. Entra ID marks app-only tokens with <c>idtyp=app</c>, but the
    /// claim is optional, so a token without any user claim is a service as well.
    /// </summary>
    private static string? Id(List<(string Type, string Value)> claims, out bool service, out string? refusal)
    {
        string? First(string[] types) => types.Select(t => claims.FirstOrDefault(c => c.Type == t).Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        var user = First(UserClaims);
        service = user is null || claims.Any(c => c.Type == "idtyp" && c.Value == "app");
        refusal = null;
        if (service)
        {
            if (First(AppIdClaims) is { } app) return "app:" + Mailbox.Normalize(app);
            refusal = "The token names neither a user (preferred_username, email, upn) nor an application (azp, appid).";
            return null;
        }
        var id = Mailbox.Normalize(user);
        // A person must not pass for a service principal or a group, whose grants the ids would match.
        if (id.StartsWith("app:", StringComparison.Ordinal) || id.StartsWith("group:", StringComparison.Ordinal))
        {
            refusal = $"The user id '{id}' is reserved: 'app:' names service principals and 'group:' names groups.";
            return null;
        }
        return id;
    }

    /// <summary>A caller from App Service authentication's base64 JSON principal header; null when it is malformed.</summary>
    public static Caller? FromAppServiceHeader(string header)
    {
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(header));
            var root = document.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var rt) ? rt.GetString() : null;
            var claims = new List<(string, string)>();
            if (root.TryGetProperty("claims", out var array) && array.ValueKind == JsonValueKind.Array)
                foreach (var claim in array.EnumerateArray())
                {
                    var type = claim.GetProperty("typ").GetString() ?? "";
                    var value = claim.GetProperty("val").GetString() ?? "";
                    claims.Add((type == roleType ? "roles" : type, value));
                }
            return FromClaims(claims);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Builds the header App Service would send (tests, local tools).</summary>
    public static string ToAppServiceHeader(IEnumerable<(string Type, string Value)> claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad", name_typ = "preferred_username", role_typ = "roles",
            claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
        })));
}

/// <summary>Authentication settings (section <c>Auth</c>), read by both hosts.</summary>
public sealed class AuthOptions
{
    /// <summary>OIDC authority of the identity provider (e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>); its signing keys are discovered.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must carry (the app's client id or application id URI).</summary>
    public string? Audience { get; set; }

    /// <summary>Accepted issuers when they differ from the authority's (e.g. v1 and v2 Entra issuers).</summary>
    public List<string> Issuers { get; set; } = [];

    /// <summary>Azure Functions only: the app runs behind App Service authentication, so its principal header can be trusted.</summary>
    public bool AppServiceAuthentication { get; set; }

    /// <summary>A local development issuer (self-hosted server only): tokens minted by <c>./run.sh token</c>.</summary>
    public DevelopmentIssuerOptions Development { get; set; } = new();
}

/// <summary>The local development issuer: HMAC-signed tokens with a key kept outside the repository.</summary>
public sealed class DevelopmentIssuerOptions
{
    public const string IssuerName = "orchestrator-dev";
    public const string AudienceName = "orchestrator";

    /// <summary>Accept tokens of the development issuer.</summary>
    public bool Enabled { get; set; }

    /// <summary>The signing key itself (tests); otherwise <see cref="KeyFile"/> is read, or created on first use.</summary>
    public string? Key { get; set; }

    /// <summary>Where the development key lives (git-ignored <c>.data/</c>).</summary>
    public string KeyFile { get; set; } = ".data/auth-signing.key";
}
