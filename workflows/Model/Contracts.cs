using System.Text.Json.Serialization;

namespace Orchestrator.Workflows.Model;

// Orchestration and activity payloads: small, references instead of data.

/// <summary>Input of the lifecycle orchestration; its instance id is the run id.</summary>
public sealed record LifecycleInput(string RunId, string Project, string Dataset, int DatasetVersion);

/// <summary>Result of the lifecycle orchestration.</summary>
public sealed record LifecycleResult(RunStatus Status, string? Error, int? ModelVersion);

/// <summary>Snapshot of the project taken when the run starts, so a later edit cannot change a running run.</summary>
public sealed record RunContext(string Task, string PrimaryMetric, IReadOnlyList<Kpi> Kpis, ApprovalPolicy Approval, int MaxParallelTrials,
    double? MinImprovement = null, bool FourEyes = false);

/// <summary>Input of the champion/challenger comparison.</summary>
public sealed record CompareInput(string RunId, string Project, string Dataset, int DatasetVersion, string TrialId, string PrimaryMetric, double MinImprovement);

/// <summary>Who approves and when: approvers and contacts resolved to emails; durations from the start of the approval.</summary>
public sealed record ApprovalPolicy(
    IReadOnlyList<string> Approvers, int Quorum, TimeSpan RemindAfter, TimeSpan EscalateAfter,
    IReadOnlyList<string> EscalationContacts, TimeSpan ExpireAfter, string? RequestedBy);

public sealed record IngestionInput(string Project, string Dataset, int Version);

public sealed record IngestionOutput(bool Succeeded, string? Error, long RowsIn, long RowsOut, long RowsQuarantined);

/// <summary>
/// First pass of an ingestion: either the version is already decided (<see cref="Done"/>) or it is split in chunks,
/// curated at most <see cref="ParallelChunks"/> at a time (0, as histories written before it existed: all at once).
/// </summary>
public sealed record IngestionPlanResult(IngestionOutput? Done, int Chunks, int ParallelChunks = 0);

/// <summary>
/// Who curates a version: already decided (<see cref="Done"/>), claimed by this caller (<see cref="Claimed"/>: it
/// starts the ingestion), or neither — another caller's ingestion is running; wait for the version to be decided.
/// </summary>
public sealed record IngestionClaim(IngestionOutput? Done, bool Claimed);

/// <summary>One chunk (a row range) of a version to curate.</summary>
public sealed record ChunkInput(string Project, string Dataset, int Version, int Chunk);

/// <summary>What one chunk produced (its statistics are in a blob, not in the payload).</summary>
public sealed record ChunkOutput(int Chunk, long RowsIn, long RowsOut, long RowsQuarantined);

/// <summary>Last step of an ingestion: merge the chunks, apply the dataset rules, publish or fail the version.</summary>
public sealed record FinishIngestionInput(string Project, string Dataset, int Version, int Chunks);

public sealed record TrainingInput(string RunId, string Project, string Dataset, int DatasetVersion, RunContext Context);

/// <summary>
/// A candidate with the trial id it is tracked under (stable across replays and retries), the share of the training
/// rows it trains on and its rung (successive halving; 1 and 0 otherwise).
/// </summary>
public sealed record TrialPlan(string TrialId, CandidateSpec Candidate, double Budget = 1, int Rung = 0);

/// <summary>What a run's sweep is: the first wave of trials and how later waves follow (halving; a Bayesian search's space).</summary>
public sealed record TrainingPlan(string Strategy, IReadOnlyList<TrialPlan> Trials, double Eta, int? MaxFailedTrials, int TotalTrials,
    TimeSpan? TimeBudget = null, Kpi? StopWhen = null, int? Folds = null, Training.SearchSpaceDefinition? Space = null);

public sealed record TrialInput(string RunId, string Project, string Dataset, int DatasetVersion, string TrialId, CandidateSpec Candidate,
    double Budget = 1, int Rung = 0, int? Folds = null, IReadOnlyDictionary<string, double>? CrossValidation = null);

/// <summary>One fold of a cross-validated trial.</summary>
public sealed record FoldInput(TrialInput Trial, int Fold, int Folds);

/// <summary>Outcome of the data-science stage.</summary>
public sealed record TrainingOutcome(bool PassedKpis, string? BestTrialId, IReadOnlyDictionary<string, double>? BestMetrics, string? Reason, int Succeeded, int Failed,
    string? StoppedEarly = null, TrainingRows? TrainingRows = null);

public sealed record ApprovalInput(string RunId, string Project, string TrialId, RunContext Context);

public sealed record ApprovalRequest(string ApprovalId, string RunId, string Project, string TrialId, string InstanceId,
    IReadOnlyList<string> Approvers, DateTimeOffset ExpiresAt, IReadOnlyList<Kpi> Kpis, int Quorum = 1, string? RequestedBy = null);

/// <summary>Sends reminders (to approvers who have not decided) or escalation links (to new contacts).</summary>
public sealed record NotifyApprovalInput(string ApprovalId, IReadOnlyList<string>? EscalateTo = null);

/// <summary>The event an SME's decision (or the owner's cancellation) raises on the approval orchestration.</summary>
public sealed record ApprovalDecision(string Decision, string DecidedBy, string? Comment, string? Reason = null)
{
    public const string EventName = "ApprovalDecision";
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Cancel = "cancel";
}

/// <summary>Outcome of the approval stage.</summary>
public sealed record ApprovalOutcome(string ApprovalId, ApprovalOutcomeStatus Status, string? DecidedBy, string? Comment, string? Reason = null, IReadOnlyList<string>? ApprovedBy = null);

/// <summary>
/// How the approval stage ended. Not an <see cref="ApprovalStatus"/>: a stage nobody decided in time is
/// <see cref="TimedOut"/>, its approval <see cref="ApprovalStatus.Expired"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalOutcomeStatus>))]
public enum ApprovalOutcomeStatus
{
    [JsonStringEnumMemberName("Approved")] Approved,
    [JsonStringEnumMemberName("Rejected")] Rejected,
    [JsonStringEnumMemberName("TimedOut")] TimedOut,
    [JsonStringEnumMemberName("Cancelled")] Cancelled,
}

public sealed record CloseApprovalInput(string ApprovalId, ApprovalStatus Status);

/// <summary>A partial update of a run row; null fields are left as they are.</summary>
public sealed record RunUpdate(string RunId, RunStage? Stage = null, RunStatus? Status = null, int? TrialsTotal = null,
    string? BestTrialId = null, string? ApprovalId = null, int? ModelVersion = null, string? Error = null, ChampionComparison? Champion = null,
    string? SweepNote = null, TrainingRows? TrainingRows = null);

public sealed record ModelCardInput(string RunId, string TrialId);

/// <summary>An approval as the table holds it, so the orchestration can catch up with decisions whose event was lost.</summary>
public sealed record ApprovalSnapshot(ApprovalStatus Status, IReadOnlyList<ApproverDecision> Decisions, string? DecidedBy, string? Comment);

/// <summary>What the monitoring orchestration carries from one cycle to the next (nothing else: its history restarts each cycle).</summary>
public sealed record MonitoringState(string Project, int Cycle = 0, DateTime? NextWindowEnd = null, string? LastReport = null);

public sealed record MonitorWindowInput(string Project, DateTime WindowEnd);

/// <summary>One monitoring cycle's outcome: whether to go on, when the next window ends, the report written.</summary>
public sealed record MonitoringCycle(bool Continue, TimeSpan Interval, string? ReportId, bool Alerted);
