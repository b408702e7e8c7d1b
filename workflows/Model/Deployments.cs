using System.Text.Json.Serialization;

namespace Orchestrator.Workflows.Model;

/// <summary>
/// Where a model version stands: registered (approved, not serving), serving in an environment (the stage is named
/// after it: <c>staging</c>, <c>production</c>), or archived (served production before, replaced since). Its JSON
/// names are lowercase.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelStage>))]
public enum ModelStage
{
    [JsonStringEnumMemberName("registered")] Registered,
    [JsonStringEnumMemberName("staging")] Staging,
    [JsonStringEnumMemberName("production")] Production,
    [JsonStringEnumMemberName("archived")] Archived,
}

/// <summary>
/// Environments a version can be promoted to. Names, not an enum: they are route and body values, access-grant scopes
/// (next to <c>*</c>), table row keys and instance ids.
/// </summary>
public static class DeploymentEnvironment
{
    public const string Staging = "staging";
    public const string Production = "production";

    public static readonly IReadOnlyList<string> All = [Staging, Production];

    /// <summary>Aliases (as MLflow's): the champion serves production, the challenger staging.</summary>
    public static string AliasOf(string environment) => environment == Production ? "champion" : "challenger";
}

/// <summary>Which version an environment serves, and the versions it served before (newest last), for rollback.</summary>
public sealed record EnvironmentState(string Environment, int? Version, IReadOnlyList<int> Previous, long Sequence);

/// <summary>
/// One change of an environment (or an attempt that changed nothing): who, when, why, from which version to which,
/// and how it went. Append-only.
/// </summary>
public sealed record DeploymentChange(
    string Project, string Environment, string Action, int? FromVersion, int? ToVersion, string? By, string? Reason,
    DateTimeOffset At, string Outcome, string? Detail, string? RequestId, long Sequence = 0);

/// <summary>What a deployment change did.</summary>
public static class DeploymentAction
{
    public const string Promote = "promote";
    public const string Rollback = "rollback";
}

/// <summary>How a deployment change went.</summary>
public static class DeploymentOutcome
{
    public const string Switched = "Switched";
    public const string SmokeTestFailed = "SmokeTestFailed";
}

/// <summary>Rows of the training data with the predictions the model made for them right after training.</summary>
public sealed record SmokeSample(IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows, IReadOnlyList<SmokeExpectation> Predictions);

/// <summary>A recorded prediction: the value as invariant text, and class scores for classification.</summary>
public sealed record SmokeExpectation(string? Value, IReadOnlyDictionary<string, double>? Scores);

/// <summary>Outcome of a smoke test: the model loaded, answered, and matched what it predicted at training.</summary>
public sealed record SmokeTestResult(bool Passed, string Detail, int Rows, int Mismatches, double LoadMilliseconds, double PredictMilliseconds);

public sealed record SmokeTestInput(string Project, int Version);

/// <summary>Promote <c>Version</c> to <c>Environment</c> after a smoke test; <c>RequestId</c> makes the switch idempotent.</summary>
public sealed record PromotionInput(string Project, int Version, string Environment, string? By, string? Reason, string RequestId);

public sealed record PromotionResult(bool Succeeded, string? Error, SmokeTestResult? SmokeTest, DeploymentChange? Change);

/// <summary>Points an environment at a version (the atomic part of a promotion).</summary>
public sealed record SwitchInput(string Project, int Version, string Environment, string? By, string? Reason, string RequestId);

/// <summary>Return <c>Environment</c> to the version it served before; <c>RequestId</c> makes it idempotent.</summary>
public sealed record RollbackInput(string Project, string Environment, string? By, string? Reason, string RequestId);

/// <summary>Records a promotion that stopped before the switch (nothing changed).</summary>
public sealed record FailedPromotionInput(PromotionInput Promotion, string Detail);

public sealed record DeployInput(string RunId, string Project, string Dataset, int DatasetVersion, string TrialId, string? ApprovedBy);
