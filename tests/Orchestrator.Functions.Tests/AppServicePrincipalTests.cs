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
}
