using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orchestrator.Http.Application.SignIn;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Server;

/// <summary>
/// JWT bearer authentication of the self-hosted server: tokens of the configured OIDC provider (<c>Auth:Authority</c>,
/// e.g. Entra ID, with <c>Auth:Audience</c>), and — for local use — of the development issuer whose key lives in
/// <c>.data/</c>. With neither configured every token is refused (the server never falls back to anonymous).
/// </summary>
public static class Authentication
{
    public static IServiceCollection AddOrchestratorAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        if (auth.Development.Enabled) services.AddSingleton<IDevelopmentTokenIssuer>(new DevelopmentTokenIssuer(auth.Development));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            // Keep the token's own claim names (roles, groups, preferred_username) instead of WS-* URIs.
            options.MapInboundClaims = false;
            options.RequireHttpsMetadata = auth.Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? true;
            var issuers = new List<string>(auth.Issuers);
            var audiences = new List<string>();
            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                options.Authority = auth.Authority;
                issuers.Add(auth.Authority.TrimEnd('/'));
            }
            if (!string.IsNullOrWhiteSpace(auth.Audience)) audiences.Add(auth.Audience);
            SecurityKey? developmentKey = null;
            if (auth.Development.Enabled)
            {
                developmentKey = DevelopmentTokens.SigningKey(auth.Development);
                issuers.Add(DevelopmentIssuerOptions.IssuerName);
                audiences.Add(DevelopmentIssuerOptions.AudienceName);
            }
            options.Events = new JwtBearerEvents
            {
                OnAuthenticationFailed = context =>
                {
                    context.HttpContext.Items[AccessGate.AuthenticationFailureKey] = context.Exception switch
                    {
                        SecurityTokenExpiredException => "The token has expired.",
                        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature is not valid.",
                        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted.",
                        SecurityTokenInvalidAudienceException => "The token's audience is not accepted.",
                        _ => "The token is not valid: " + context.Exception.GetType().Name,
                    };
                    return Task.CompletedTask;
                },
                // A valid token that names no caller (a reserved id, no identity claim) is refused with its reason.
                OnTokenValidated = context =>
                {
                    if (context.Principal is { } principal && CallerResolver.Refusal(principal.Claims.Select(c => (c.Type, c.Value))) is { } refusal)
                    {
                        context.HttpContext.Items[AccessGate.AuthenticationFailureKey] = refusal;
                        context.Fail(refusal);
                    }
                    return Task.CompletedTask;
                },
            };
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuers = issuers,
                ValidAudiences = audiences,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromMinutes(2),
                IssuerSigningKeys = developmentKey is null ? [] : [developmentKey],
                NameClaimType = "preferred_username",
                RoleClaimType = "roles",
            };
        });
        return services;
    }
}

/// <summary>The development sign-in's signer (<c>POST /api/dev/token</c>), registered only when the development issuer is enabled.</summary>
public sealed class DevelopmentTokenIssuer(DevelopmentIssuerOptions options) : IDevelopmentTokenIssuer
{
    public bool Enabled => true;

    public string Issue(string user, IReadOnlyList<string> roles, IReadOnlyList<string> groups, TimeSpan lifetime) =>
        DevelopmentTokens.Create(options, user, roles, groups, lifetime: lifetime);
}

/// <summary>Tokens of the local development issuer (<c>./run.sh token --user … --role …</c>, the demo, the tests).</summary>
public static class DevelopmentTokens
{
    /// <summary>The development issuer's HMAC key: <see cref="DevelopmentIssuerOptions.Key"/>, else the key file (created on first use).</summary>
    public static SymmetricSecurityKey SigningKey(DevelopmentIssuerOptions options)
    {
        var text = string.IsNullOrWhiteSpace(options.Key) ? KeyFiles.LoadOrCreate(options.KeyFile) : options.Key;
        // Hashing gives a 256-bit key whatever the configured text's length.
        return new SymmetricSecurityKey(SHA256.HashData(Encoding.UTF8.GetBytes(text))) { KeyId = "orchestrator-dev" };
    }

    /// <summary>A signed token for a user (or, with <paramref name="service"/>, a service principal) with roles and groups.</summary>
    public static string Create(DevelopmentIssuerOptions options, string user, IEnumerable<string> roles, IEnumerable<string>? groups = null,
        bool service = false, TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user,
            [service ? "azp" : "preferred_username"] = user,
            ["roles"] = roles.ToArray(),
            ["groups"] = (groups ?? []).ToArray(),
        };
        if (service) claims["idtyp"] = "app";
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevelopmentIssuerOptions.IssuerName,
            Audience = DevelopmentIssuerOptions.AudienceName,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(SigningKey(options), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// <c>token --user alice@contoso.com --role DataScientist [--role …] [--group …] [--service] [--hours 8]</c>: prints a
    /// token of the development issuer; returns the exit code.
    /// </summary>
    public static int Mint(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        string? user = null;
        var roles = new List<string>();
        var groups = new List<string>();
        var service = false;
        var hours = 8.0;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : "";
            switch (args[i])
            {
                case "--user": user = Next(); break;
                case "--role": roles.Add(Next()); break;
                case "--group": groups.Add(Next()); break;
                case "--service": service = true; break;
                case "--hours": double.TryParse(Next(), System.Globalization.CultureInfo.InvariantCulture, out hours); break;
                default: error.WriteLine($"Unknown option '{args[i]}'."); return 2;
            }
        }
        var unknown = roles.Where(r => Roles.Normalize(r) is null).ToList();
        if (string.IsNullOrWhiteSpace(user) || unknown.Count > 0 || hours <= 0)
        {
            error.WriteLine("Usage: token --user alice@contoso.com --role DataScientist [--role …] [--group …] [--service] [--hours 8]");
            error.WriteLine($"Roles: {string.Join(", ", Roles.All)}.{(unknown.Count > 0 ? $" Unknown: {string.Join(", ", unknown)}." : "")}");
            return 2;
        }
        var options = configuration.GetSection("Auth:Development").Get<DevelopmentIssuerOptions>() ?? new DevelopmentIssuerOptions();
        output.WriteLine(Create(options, user, roles.Select(r => Roles.Normalize(r)!), groups, service, TimeSpan.FromHours(hours)));
        return 0;
    }
}
