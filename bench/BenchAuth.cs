using Orchestrator.Http.Security;
using Orchestrator.Server;

namespace Orchestrator.Bench;

/// <summary>
/// The bench's servers accept tokens of a development issuer with a key of this process; the bench calls them as an
/// administrator, so every route is measured behind the access gate as users reach it.
/// </summary>
internal static class BenchAuth
{
    private static readonly DevelopmentIssuerOptions Issuer = new() { Enabled = true, Key = Guid.NewGuid().ToString("N") };
    private static readonly Lazy<string> AdminToken = new(() => DevelopmentTokens.Create(Issuer, "bench@example.com", [Roles.Admin], lifetime: TimeSpan.FromHours(12)));

    /// <summary>Server arguments that enable the issuer.</summary>
    public static readonly string[] ServerArgs = ["--Auth:Development:Enabled=true", $"--Auth:Development:Key={Issuer.Key}"];

    /// <summary>The Authorization header's value for a client of another process.</summary>
    public static string Authorization => "Bearer " + AdminToken.Value;

    /// <summary>Signs a client in as the bench's administrator.</summary>
    public static HttpClient SignedIn(this HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken.Value);
        return client;
    }
}
