namespace Orchestrator.Workflows.Model;

/// <summary>Status of a lifecycle run as the API reports it.</summary>
public static class RunStatus
{
    public const string Running = "Running";
    public const string AwaitingApproval = "AwaitingApproval";
    public const string Completed = "Completed";
    public const string Rejected = "Rejected";
    public const string TimedOut = "TimedOut";
    public const string Failed = "Failed";
    public const string Cancelled = "Cancelled";
    public const string NotBetter = "NotBetter";

    public static bool IsFinal(string status) => status is Completed or Rejected or TimedOut or Failed or Cancelled or NotBetter;
}

/// <summary>Stage of the lifecycle a run is in.</summary>
public static class RunStage
{
    public const string DataEngineering = "DataEngineering";
    public const string DataScience = "DataScience";
    public const string Approval = "Approval";
    public const string Deployment = "Deployment";
    public const string Done = "Done";
}


/// <summary>Outcome of one trained candidate.</summary>
public sealed record TrialResult(
    string RunId, string TrialId, string Trainer, IReadOnlyDictionary<string, double> Parameters,
    string Status, IReadOnlyDictionary<string, double> Metrics, string? ModelBlob,
    double TrainingSeconds, string? Error, ConfusionMatrix? ConfusionMatrix = null, int Rung = 0, double Budget = 1, long ModelBytes = 0,
    int Seed = 0, int? Folds = null);

/// <summary>Status of a trial.</summary>
public static class TrialStatus
{
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}

/// <summary>A registered model version.</summary>
public sealed record ModelVersionInfo(
    string Project, int Version, string Stage, string RunId, string TrialId, string Trainer,
    IReadOnlyDictionary<string, double> Metrics, string Dataset, int DatasetVersion,
    string ModelBlob, string? ApprovedBy, DateTimeOffset CreatedAt);

/// <summary>Status of an approval request.</summary>
public static class ApprovalStatus
{
    public const string Pending = "Pending";
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";
    public const string Expired = "Expired";
    public const string Cancelled = "Cancelled";
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
    string Status, DateTimeOffset ExpiresAt, string? DecidedBy, string? Comment, DateTimeOffset? DecidedAt,
    string TrialId, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<Kpi> Kpis,
    IReadOnlyList<string>? Notified = null, string? SendError = null, int Quorum = 1,
    IReadOnlyList<ApproverDecision>? Decisions = null, string? RequestedBy = null, string? Reason = null,
    IReadOnlyList<string>? Escalated = null, int Reminders = 0, DateTimeOffset? CreatedAt = null)
{
    public IReadOnlyList<ApproverDecision> DecisionList => Decisions ?? [];
}

/// <summary>A lifecycle run as the runs table holds it.</summary>
public sealed record RunInfo(
    string RunId, string Project, string Dataset, int? DatasetVersion, string Stage, string Status,
    int TrialsTotal, string? BestTrialId, string? ApprovalId, int? ModelVersion, string? Error,
    string? RequestedBy, string Trigger, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? PreviousRunId = null, int Attempt = 1, IReadOnlyList<CandidateSpec>? Candidates = null, ChampionComparison? Champion = null,
    string? SweepNote = null, Training.SearchSpaceDefinition? SearchSpace = null);

/// <summary>The production model (champion) evaluated on a run's test set, against the run's best candidate (challenger).</summary>
public sealed record ChampionComparison(int ChampionVersion, IReadOnlyDictionary<string, double> ChampionMetrics, string Metric,
    double Challenger, double Champion, double MinImprovement, bool Better);
