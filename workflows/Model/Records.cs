using System.Text.Json.Serialization;

namespace Orchestrator.Workflows.Model;

// Statuses and stages are enums written as the strings they were before, everywhere: API, table rows, orchestration
// payloads. Each member pins its wire name because the product's JSON options name enums camelCase ("running"); the
// type's converter keeps them strings under the Durable Task converter's default options (numbers otherwise). Member
// names are the wire names, so ToString() and interpolation give what the strings gave (messages, webhook event ids).

/// <summary>Status of a lifecycle run as the API reports it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("Running")] Running,
    [JsonStringEnumMemberName("AwaitingApproval")] AwaitingApproval,
    [JsonStringEnumMemberName("Completed")] Completed,
    [JsonStringEnumMemberName("Rejected")] Rejected,
    [JsonStringEnumMemberName("TimedOut")] TimedOut,
    [JsonStringEnumMemberName("Failed")] Failed,
    [JsonStringEnumMemberName("Cancelled")] Cancelled,
    [JsonStringEnumMemberName("NotBetter")] NotBetter,
}

/// <summary>Stage of the lifecycle a run is in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStage>))]
public enum RunStage
{
    [JsonStringEnumMemberName("DataEngineering")] DataEngineering,
    [JsonStringEnumMemberName("DataScience")] DataScience,
    [JsonStringEnumMemberName("Approval")] Approval,
    [JsonStringEnumMemberName("Deployment")] Deployment,
    [JsonStringEnumMemberName("Done")] Done,
}

/// <summary>What a run's status says about the run.</summary>
public static class RunStatusExtensions
{
    extension(RunStatus)
    {
        /// <summary>Whether a run in <paramref name="status"/> has ended (nothing will change it any more).</summary>
        public static bool IsFinal(RunStatus status) =>
            status is RunStatus.Completed or RunStatus.Rejected or RunStatus.TimedOut or RunStatus.Failed or RunStatus.Cancelled or RunStatus.NotBetter;
    }
}

/// <summary>Outcome of one trained candidate.</summary>
public sealed record TrialResult(
    string RunId, string TrialId, string Trainer, IReadOnlyDictionary<string, double> Parameters,
    TrialStatus Status, IReadOnlyDictionary<string, double> Metrics, string? ModelBlob,
    double TrainingSeconds, string? Error, ConfusionMatrix? ConfusionMatrix = null, int Rung = 0, double Budget = 1, long ModelBytes = 0,
    int Seed = 0, int? Folds = null, DateTimeOffset? StartedAt = null, DateTimeOffset? EndedAt = null, TrainingRows? TrainingRows = null,
    IReadOnlyList<SliceMetrics>? Slices = null);

/// <summary>
/// The task's metrics on the test rows whose <paramref name="Column"/> holds <paramref name="Value"/> (one slice of
/// <c>evaluation.sliceBy</c>), with how many test rows that is.
/// </summary>
public sealed record SliceMetrics(string Column, string Value, int Rows, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>How messages name the slice, e.g. <c>Island=Torgersen</c>.</summary>
    [JsonIgnore]
    public string Name => $"{Column}={Value}";
}

/// <summary>
/// The rows of the dataset version a trial, a run or a model card learned from: those with a label. Rows without one
/// stay in the version but are left out of training, validation and test; <paramref name="Reason"/> says so (null when
/// none were left out).
/// </summary>
public sealed record TrainingRows(long Labelled, long Unlabelled, string? Reason);

/// <summary>Status of a trial.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrialStatus>))]
public enum TrialStatus
{
    [JsonStringEnumMemberName("Succeeded")] Succeeded,
    [JsonStringEnumMemberName("Failed")] Failed,
}

/// <summary>A registered model version.</summary>
public sealed record ModelVersionInfo(
    string Project, int Version, ModelStage Stage, string RunId, string TrialId, string Trainer,
    IReadOnlyDictionary<string, double> Metrics, string Dataset, int DatasetVersion,
    string ModelBlob, string? ApprovedBy, DateTimeOffset CreatedAt);

/// <summary>Status of an approval request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalStatus>))]
public enum ApprovalStatus
{
    [JsonStringEnumMemberName("Pending")] Pending,
    [JsonStringEnumMemberName("Approved")] Approved,
    [JsonStringEnumMemberName("Rejected")] Rejected,
    [JsonStringEnumMemberName("Expired")] Expired,
    [JsonStringEnumMemberName("Cancelled")] Cancelled,
}

/// <summary>Why an SME rejected a candidate.</summary>
public static class RejectionReason
{
    public static readonly IReadOnlyList<string> All = ["data", "metric", "fairness", "other"];
}

/// <summary>One approver's decision.</summary>
public sealed record ApproverDecision(string Approver, string Decision, string? Reason, string? Comment, DateTimeOffset At);

/// <summary>Confusion matrix on the test set: rows are actual classes, columns predicted.</summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<double>> Counts);

/// <summary>An approval request sent to the project's SMEs.</summary>
public sealed record ApprovalInfo(
    string ApprovalId, string RunId, string Project, string InstanceId, IReadOnlyList<string> Approvers,
    ApprovalStatus Status, DateTimeOffset ExpiresAt, string? DecidedBy, string? Comment, DateTimeOffset? DecidedAt,
    string TrialId, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<Kpi> Kpis,
    IReadOnlyList<string>? Notified = null, string? SendError = null, int Quorum = 1,
    IReadOnlyList<ApproverDecision>? Decisions = null, string? RequestedBy = null, string? Reason = null,
    IReadOnlyList<string>? Escalated = null, int Reminders = 0, DateTimeOffset? CreatedAt = null)
{
    public IReadOnlyList<ApproverDecision> DecisionList => Decisions ?? [];
}

/// <summary>A lifecycle run as the runs table holds it.</summary>
public sealed record RunInfo(
    string RunId, string Project, string Dataset, int? DatasetVersion, RunStage Stage, RunStatus Status,
    int TrialsTotal, string? BestTrialId, string? ApprovalId, int? ModelVersion, string? Error,
    string? RequestedBy, string Trigger, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? PreviousRunId = null, int Attempt = 1, IReadOnlyList<CandidateSpec>? Candidates = null, ChampionComparison? Champion = null,
    string? SweepNote = null, Training.SearchSpaceDefinition? SearchSpace = null, TrainingRows? TrainingRows = null);

/// <summary>The production model (champion) evaluated on a run's test set, against the run's best candidate (challenger).</summary>
public sealed record ChampionComparison(int ChampionVersion, IReadOnlyDictionary<string, double> ChampionMetrics, string Metric,
    double Challenger, double Champion, double MinImprovement, bool Better);
