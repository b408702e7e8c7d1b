namespace Orchestrator.Workflows.Model;

// Orchestration and activity payloads: small, references instead of data.

/// <summary>Input of the lifecycle orchestration; its instance id is the run id.</summary>
public sealed record LifecycleInput(string RunId, string Project, string Dataset, int DatasetVersion);

/// <summary>Result of the lifecycle orchestration.</summary>
public sealed record LifecycleResult(string Status, string? Error, int? ModelVersion);

/// <summary>Snapshot of the project taken when the run starts, so a later edit cannot change a running run.</summary>
public sealed record RunContext(
    string Task, string PrimaryMetric, IReadOnlyList<Kpi> Kpis, IReadOnlyList<string> Approvers,
    TimeSpan ApprovalTimeout, int MaxParallelTrials);

public sealed record IngestionInput(string Project, string Dataset, int Version);

public sealed record IngestionOutput(bool Succeeded, string? Error, int RowsIn, int RowsOut, int RowsQuarantined);

public sealed record TrainingInput(string RunId, string Project, string Dataset, int DatasetVersion, RunContext Context);

/// <summary>A candidate with the trial id it is tracked under (stable across replays and retries).</summary>
public sealed record TrialPlan(string TrialId, CandidateSpec Candidate);

public sealed record TrialInput(string RunId, string Project, string Dataset, int DatasetVersion, string TrialId, CandidateSpec Candidate);

/// <summary>Outcome of the data-science stage.</summary>
public sealed record TrainingOutcome(bool PassedKpis, string? BestTrialId, IReadOnlyDictionary<string, double>? BestMetrics, string? Reason, int Succeeded, int Failed);

public sealed record ApprovalInput(string RunId, string Project, string TrialId, RunContext Context);

public sealed record ApprovalRequest(string ApprovalId, string RunId, string Project, string TrialId, string InstanceId,
    IReadOnlyList<string> Approvers, DateTimeOffset ExpiresAt, IReadOnlyList<Kpi> Kpis);

/// <summary>The event an SME's decision raises on the approval orchestration.</summary>
public sealed record ApprovalDecision(string Decision, string DecidedBy, string? Comment)
{
    public const string EventName = "ApprovalDecision";
    public const string Approve = "approve";
    public const string Reject = "reject";
}

/// <summary>Outcome of the approval stage: <c>Approved</c>, <c>Rejected</c> or <c>TimedOut</c>.</summary>
public sealed record ApprovalOutcome(string ApprovalId, string Status, string? DecidedBy, string? Comment);

public sealed record CloseApprovalInput(string ApprovalId, string Status);

public sealed record DeployInput(string RunId, string Project, string Dataset, int DatasetVersion, string TrialId, string? ApprovedBy);

/// <summary>A partial update of a run row; null fields are left as they are.</summary>
public sealed record RunUpdate(string RunId, string? Stage = null, string? Status = null, int? TrialsTotal = null,
    string? BestTrialId = null, string? ApprovalId = null, int? ModelVersion = null, string? Error = null);
