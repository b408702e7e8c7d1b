using System.Text.Json.Serialization;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Http.Application.Models;

/// <summary>A promotion or rollback: the environment it changes, and why (recorded in the change history).</summary>
public sealed record DeploymentRequest(string? Environment, string? Reason);

/// <summary>What an environment serves, what it served before (newest last), and whether it can roll back.</summary>
public sealed record EnvironmentView(int? Version, IReadOnlyList<int> Previous, bool CanRollback);

/// <summary>The registry of a project: what production serves, each environment, the aliases, the versions and the last 100 changes.</summary>
public sealed record ModelsView(
    string Project, int? Production, IReadOnlyDictionary<string, EnvironmentView> Environments, IReadOnlyDictionary<string, int?> Aliases,
    IReadOnlyList<ModelVersionInfo> Versions, IReadOnlyList<DeploymentChange> History);

/// <summary>
/// A promotion: done (200, with the change and the smoke test), or still running (202, with its status and the
/// promotion orchestration's id). Each answer has only its own fields.
/// </summary>
public sealed record PromotionView(
    string Project, int Version, string Environment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeploymentChange? Change = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SmokeTestResult? SmokeTest = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PromotionId = null);

/// <summary>
/// A rollback: done (200, with the change that switched the environment back), or still running (202, with its status
/// and the rollback orchestration's id). Each answer has only its own fields.
/// </summary>
public sealed record RollbackView(
    string Project, string Environment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeploymentChange? Change = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RollbackId = null);
