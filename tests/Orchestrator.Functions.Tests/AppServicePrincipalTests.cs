using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Security;

namespace Orchestrator.Functions.Tests;

/// <summary>The Functions app's identity: App Service authentication's principal header, trusted only when configured.</summary>
public class AppServicePrincipalTests
{
    private static DefaultHttpContext Request(string? header)
    {
        var context = new DefaultHttpContext();
        if (header is not null) context.Request.Headers[CallerResolver.AppServicePrincipalHeader] = header;
        return context;
    }

    private static readonly string EntraUser = CallerResolver.ToAppServiceHeader([
        ("preferred_username", "Alice@Contoso.com"), ("roles", "DataScientist"), ("roles", "mlengineer"), ("roles", "NotARole"), ("groups", "weather-team"),
    ]);

    [Fact]
    public void Resolve_HeaderTrusted_CallerWithNormalizedRolesAndGroups()
    {
        var caller = CallerResolver.Resolve(Request(EntraUser), new AuthOptions { AppServiceAuthentication = true });
        Assert.NotNull(caller);
        Assert.Equal(("alice@contoso.com", false), (caller.Id, caller.IsService));
        Assert.Equal([Roles.DataScientist, Roles.MlEngineer], caller.Roles);
        Assert.Equal(["alice@contoso.com", "group:weather-team"], caller.Principals);
    }

    [Fact]
    public void Resolve_HeaderNotTrusted_NoCaller()
    {
        // Off Azure (or without authentication enabled) anyone could send the header.
        Assert.Null(CallerResolver.Resolve(Request(EntraUser), new AuthOptions()));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("e30=")] // {} — no claims, no name
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6MX1dfQ==")] // {"claims":[{"typ":1}]}
    public void Resolve_MalformedHeader_NoCaller(string header)
    {
        Assert.Null(CallerResolver.Resolve(Request(header), new AuthOptions { AppServiceAuthentication = true }));
    }

    [Fact]
    public void FromAppServiceHeader_AppOnlyToken_ServicePrincipalByAppId()
    {
        var header = CallerResolver.ToAppServiceHeader([("idtyp", "app"), ("appid", "5B1C7A44-0000-4000-8000-000000000001"), ("roles", "DataEngineer")]);
        var caller = CallerResolver.FromAppServiceHeader(header);
        Assert.NotNull(caller);
        Assert.Equal(("app:5b1c7a44-0000-4000-8000-000000000001", true), (caller.Id, caller.IsService));
        Assert.True(RolePermissions.Grants(Roles.DataEngineer, Permission.DatasetIngest, service: true));
        Assert.False(RolePermissions.Grants(Roles.DataEngineer, Permission.DatasetEdit, service: true));
    }

    [Fact]
    public void FromClaims_DisplayNameOnly_AppNotPerson()
    {
        // "name" is free text: it never becomes a person's id, so a token carrying only it is an app (or nothing).
        Assert.Null(CallerResolver.FromClaims([("name", "Alice@contoso.com")]));
        var caller = CallerResolver.FromClaims([("name", "Alice"), ("azp", "ci-client")]);
        Assert.Equal(("app:ci-client", true), (caller?.Id, caller?.IsService));
    }

    [Fact]
    public void FromClaims_AppOnlyTokenWithoutIdtyp_ServicePrincipal()
    {
        var caller = CallerResolver.FromClaims([("sub", "0a1b"), ("azp", "Pipeline-Client"), ("roles", "DataEngineer")]);
        Assert.Equal(("app:pipeline-client", true), (caller?.Id, caller?.IsService));
    }

    [Fact]
    public void FromClaims_UserIdWithSpacesAndDisplayName_BareLowerCaseMailbox()
    {
        Assert.Equal("ds2@x.com", CallerResolver.FromClaims([("preferred_username", " DS2@X.com ")])?.Id);
        Assert.Equal("ds2@x.com", CallerResolver.FromClaims([("email", "DS Two <ds2@x.com>")])?.Id);
    }

    [Theory]
    [InlineData("app:pipeline-client")]
    [InlineData("APP:pipeline-client")]
    [InlineData("group:weather-team")]
    public void FromClaims_UserIdLooksLikeAppOrGroup_RefusedWithReason(string userName)
    {
        Assert.Null(CallerResolver.FromClaims([("preferred_username", userName)]));
        Assert.Contains("reserved", CallerResolver.Refusal([("preferred_username", userName)]));
        Assert.Null(CallerResolver.Resolve(Request(CallerResolver.ToAppServiceHeader([("preferred_username", userName)])), new AuthOptions { AppServiceAuthentication = true }));
    }
}
