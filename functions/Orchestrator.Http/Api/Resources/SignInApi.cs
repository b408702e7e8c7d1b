using Orchestrator.Http.Application.SignIn;

namespace Orchestrator.Http.Api;

/// <summary>The local development sign-in (the portal's sign-in page, <c>orchestrator token</c>); 404 where it is not enabled.</summary>
public static class SignInApi
{
    public const string DevelopmentTokenRoute = "dev/token";

    public static readonly ApiResource Resource = new("Sign-in", "Tokens of the local development issuer, where that issuer is enabled (never on Azure).",
    [
        new(nameof(MintDevelopmentToken), "POST", DevelopmentTokenRoute, MintDevelopmentToken)
        {
            Scope = AccessScope.Anonymous, Summary = "Get a development token for a user with roles and groups",
            Description = "Only where the development issuer is enabled (Auth:Development:Enabled, the local default of ./run.sh): "
                + "a token for whoever is named, so the issuer must never be enabled on a server others can reach. 404 elsewhere.",
            Problems = [400, 404],
        },
    ]);

    public static ApiResult<DevelopmentTokenView> MintDevelopmentToken(JsonBody<DevelopmentTokenRequest> body, DevelopmentSignIn signIn) =>
        signIn.Issue(body.Value).ToApi();
}
