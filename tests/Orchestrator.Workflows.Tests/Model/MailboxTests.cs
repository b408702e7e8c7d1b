using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Registry;

namespace Orchestrator.Workflows.Tests.Model;

/// <summary>Address forms of one person reduce to one mailbox, so they cannot count as two people.</summary>
public class MailboxTests
{
    [Theory]
    [InlineData("ds2@x.com", "ds2@x.com")]
    [InlineData("ds2@x.com ", "ds2@x.com")]
    [InlineData("  DS2@X.com", "ds2@x.com")]
    [InlineData("DS Two <ds2@x.com>", "ds2@x.com")]
    public void TryNormalize_AddressForm_BareLowerCaseMailbox(string written, string expected)
    {
        Assert.True(Mailbox.TryNormalize(written, out var mailbox, out var problem), problem);
        Assert.Equal(expected, mailbox);
    }

    [Theory]
    [InlineData("a@x.com, b@x.com")]
    [InlineData("a@x.com;b@x.com")]
    [InlineData("a@x.com,")]
    // A quoted display name with a comma reads as a list too: stored lists of approvers are comma-separated.
    [InlineData("\"Two, DS\" <ds2@x.com>")]
    public void TryNormalize_List_RefusedAsList(string written)
    {
        Assert.False(Mailbox.TryNormalize(written, out _, out var problem));
        Assert.Contains("one address per entry", problem);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData(null)]
    public void TryNormalize_NotAnAddress_Refused(string? written)
    {
        Assert.False(Mailbox.TryNormalize(written, out _, out var problem));
        Assert.Contains("not an email address", problem);
    }

    [Fact]
    public void Normalize_UserName_TrimmedLowerCase() => Assert.Equal("app:abc", Mailbox.Normalize(" APP:Abc "));

    [Fact]
    public void Same_DisplayNameAndSpaces_SamePerson()
    {
        Assert.True(Mailbox.Same("DS Two <ds2@x.com>", "ds2@x.com"));
        Assert.True(Mailbox.Same("ds2@x.com ", "DS2@x.com"));
        Assert.False(Mailbox.Same("ds2@x.com", "ds3@x.com"));
        Assert.False(Mailbox.Same(null, "ds2@x.com"));
    }

    [Fact]
    public void Distinct_AddressFormsOfOnePerson_OneMailbox() =>
        Assert.Equal(["ds2@x.com", "sme@x.com"], Mailbox.Distinct(["DS Two <ds2@x.com>", "ds2@x.com ", "SME@x.com"]));

    [Fact]
    public void MayPromote_ApproverWrittenDifferently_Refused()
    {
        Assert.False(FourEyes.MayPromote(true, "DS Two <ds2@x.com>, sme@x.com", DeploymentEnvironment.Production, "ds2@x.com"));
        Assert.False(FourEyes.MayPromote(true, "ds2@x.com ", DeploymentEnvironment.Production, "DS2@x.com"));
        Assert.True(FourEyes.MayPromote(true, "sme@x.com", DeploymentEnvironment.Production, "ds2@x.com"));
    }
}
