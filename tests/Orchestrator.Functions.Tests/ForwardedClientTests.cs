using Orchestrator.Http.Security;

namespace Orchestrator.Functions.Tests;

/// <summary>Behind App Service the audit log records the address its front end saw, not one the caller wrote into the header.</summary>
public class ForwardedClientTests
{
    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5")]
    [InlineData("203.0.113.5:50122", "203.0.113.5")]
    [InlineData("10.0.0.1, 203.0.113.5:50122", "203.0.113.5")] // the caller's own "10.0.0.1" comes first and is ignored
    [InlineData("1.1.1.1,2.2.2.2,[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public void ForwardedClient_HeaderWithCallerEntries_TheAddressAppServiceAppended(string header, string expected) =>
        Assert.Equal(expected, AccessGate.ForwardedClient(header));
}
