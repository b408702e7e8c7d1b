using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Approvals;

namespace Orchestrator.Workflows.Tests.Approvals;

public sealed class ApprovalTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static ApprovalTokens Tokens(params string[] keys) => new(Options.Create(new ApprovalOptions { SigningKeys = [.. keys] }));

    [Fact]
    public void Verify_FreshToken_ReturnsApprover()
    {
        var tokens = Tokens("key-1");
        var token = tokens.Create("a1", "sme@example.com", Now.AddHours(1));

        Assert.Equal(TokenFailure.None, tokens.Verify("a1", token, Now, out var claims));
        Assert.Equal("sme@example.com", claims!.Approver);
    }

    [Fact]
    public void Verify_AfterExpiry_Expired()
    {
        var tokens = Tokens("key-1");
        var token = tokens.Create("a1", "sme@example.com", Now.AddHours(1));
        Assert.Equal(TokenFailure.Expired, tokens.Verify("a1", token, Now.AddHours(2), out _));
    }

    [Fact]
    public void Verify_TokenOfAnotherApproval_Refused()
    {
        var tokens = Tokens("key-1");
        var token = tokens.Create("a1", "sme@example.com", Now.AddHours(1));
        Assert.Equal(TokenFailure.BadSignature, tokens.Verify("a2", token, Now, out _));
    }

    [Fact]
    public void Verify_AlteredApproverOrSignature_Refused()
    {
        var tokens = Tokens("key-1");
        var token = tokens.Create("a1", "sme@example.com", Now.AddHours(1));
        var other = tokens.Create("a1", "mallory@example.com", Now.AddHours(1));
        var spliced = other.Split('.')[0] + "." + token.Split('.')[1];

        Assert.Equal(TokenFailure.BadSignature, tokens.Verify("a1", spliced, Now, out _));
        Assert.Equal(TokenFailure.BadSignature, tokens.Verify("a1", token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], Now, out _));
        Assert.Equal(TokenFailure.Malformed, tokens.Verify("a1", "not-a-token", Now, out _));
        Assert.Equal(TokenFailure.Malformed, tokens.Verify("a1", null, Now, out _));
    }

    [Fact]
    public void Verify_RotatedKeys_OldTokensStillVerifyButOtherKeysDoNot()
    {
        var old = Tokens("key-1").Create("a1", "sme@example.com", Now.AddHours(1));

        Assert.Equal(TokenFailure.None, Tokens("key-2", "key-1").Verify("a1", old, Now, out _));
        Assert.Equal(TokenFailure.BadSignature, Tokens("key-2").Verify("a1", old, Now, out _));
    }

    [Fact]
    public void Create_SameInputsTwice_DifferentTokens()
    {
        var tokens = Tokens("key-1");
        Assert.NotEqual(tokens.Create("a1", "sme@example.com", Now), tokens.Create("a1", "sme@example.com", Now));
    }
}
