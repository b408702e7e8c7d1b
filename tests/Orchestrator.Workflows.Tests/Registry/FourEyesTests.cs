using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Registry;

namespace Orchestrator.Workflows.Tests.Registry;

/// <summary>The four-eyes rule: approved models go to staging, and their approvers do not promote them to production.</summary>
public sealed class FourEyesTests
{
    [Theory]
    [InlineData(true, DeploymentEnvironment.Staging)]
    [InlineData(false, DeploymentEnvironment.Production)]
    public void EnvironmentForApproved_FourEyesOrNot_StagingOrProduction(bool fourEyes, string expected) =>
        Assert.Equal(expected, FourEyes.EnvironmentForApproved(fourEyes));

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("ADA@example.com")]
    [InlineData("bob@example.com")]
    public void MayPromote_ApproverToProductionWithFourEyes_IsRefused(string caller) =>
        Assert.False(FourEyes.MayPromote(true, "ada@example.com, bob@example.com", DeploymentEnvironment.Production, caller));

    [Theory]
    [InlineData(true, DeploymentEnvironment.Production, "eve@example.com")]
    [InlineData(true, DeploymentEnvironment.Staging, "ada@example.com")]
    [InlineData(false, DeploymentEnvironment.Production, "ada@example.com")]
    [InlineData(true, DeploymentEnvironment.Production, null)]
    public void MayPromote_SomeoneElseStagingNoFourEyesOrNoCaller_IsAllowed(bool fourEyes, string environment, string? caller) =>
        Assert.True(FourEyes.MayPromote(fourEyes, "ada@example.com, bob@example.com", environment, caller));

    [Fact]
    public void MayPromote_VersionWithoutApprovers_IsAllowed() =>
        Assert.True(FourEyes.MayPromote(true, null, DeploymentEnvironment.Production, "ada@example.com"));
}
