using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Registry;

/// <summary>
/// The four-eyes rule of a project that asks for it (<see cref="ProjectDefinition.FourEyes"/>): the approvers'
/// decision alone does not reach production. An approved model goes to staging, and someone who did not approve
/// it promotes it to production.
/// </summary>
public static class FourEyes
{
    /// <summary>The environment the lifecycle deploys an approved model to.</summary>
    public static string EnvironmentForApproved(bool fourEyes) => fourEyes ? DeploymentEnvironment.Staging : DeploymentEnvironment.Production;

    /// <summary>
    /// Whether <paramref name="caller"/> may promote a version approved by <paramref name="approvedBy"/> (comma-separated)
    /// to <paramref name="environment"/>: not to production when four eyes apply and the caller is one of its approvers.
    /// </summary>
    public static bool MayPromote(bool fourEyes, string? approvedBy, string environment, string? caller) =>
        !fourEyes || environment != DeploymentEnvironment.Production || caller is null
        || !Mailbox.Contains((approvedBy ?? "").Split(',', StringSplitOptions.TrimEntries), caller);
}
