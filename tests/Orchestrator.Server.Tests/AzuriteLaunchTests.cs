namespace Orchestrator.Server.Tests;

/// <summary>Every place that starts Azurite turns its telemetry off: by default it sends usage data out, and the local default makes no outbound connection.</summary>
public sealed class AzuriteLaunchTests
{
    /// <summary>The launchers: run.sh and bench/run.sh start it through infra/local/azurite.sh; each test suite starts its own.</summary>
    public static TheoryData<string> Launchers() =>
        ["infra/local/azurite.sh", "tests/portal/harness.mjs", "tests/python/stack.py", "tests/Orchestrator.Server.Tests/AzuriteFixture.cs"];

    /// <summary>Every launcher starts the three services through the one script that runs them side by side.</summary>
    [Theory]
    [MemberData(nameof(Launchers))]
    public void Launcher_StartsAzurite_ThroughTheServicesScript(string path) =>
        Assert.Contains("azurite-services.mjs", File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, path)));

    [Theory]
    [MemberData(nameof(Launchers))]
    public void Launcher_StartsAzurite_WithTelemetryDisabled(string path)
    {
        var text = File.ReadAllText(Path.Combine(AzuriteFixture.RepoRoot, path));
        Assert.Contains("azurite", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--disableTelemetry", text);
    }
}
