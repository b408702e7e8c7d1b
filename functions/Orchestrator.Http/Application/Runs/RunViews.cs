using Orchestrator.Http.Application.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Runs;

/// <summary>Start a run on a dataset version (none: the newest ready one, else the newest still being ingested).</summary>
public sealed record StartRunRequest(string? Dataset, int? Version);

/// <summary>A new attempt of an ended run, optionally on another dataset version, with other candidates or another search space.</summary>
public sealed record RerunRequest(int? Version, IReadOnlyList<CandidateSpec>? Candidates, SearchSpaceDefinition? SearchSpace);

/// <summary>A run that was started: where to follow it, and the dataset version it trains on.</summary>
public sealed record RunStartedView(string RunId, string StatusUrl, int DatasetVersion);

/// <summary>A re-run that was started: where to follow it, the run it re-runs, its attempt number and dataset version.</summary>
public sealed record RerunStartedView(string RunId, string StatusUrl, string PreviousRunId, int Attempt, int DatasetVersion);

/// <summary>A project's runs.</summary>
public sealed record RunsView(string Project, IReadOnlyList<RunInfo> Runs, int Total, int Offset, int Limit, int? NextOffset);

/// <summary>
/// Which runs of a project to list: by status, trigger and dataset, oldest or newest first, a page of them
/// (query parameters, kept as text so a bad value is a 400 naming it).
/// </summary>
public sealed record RunsQuery(string? Status = null, string? Trigger = null, string? Dataset = null, string? Order = null, string? Offset = null,
    string? Limit = null);

/// <summary>How far the sweep is.</summary>
public sealed record RunProgressView(int TrialsCompleted, int TrialsTotal);

/// <summary>One attempt in a run's history (the run itself and the runs it re-ran).</summary>
public sealed record RunAttemptView(string RunId, int Attempt, RunStatus Status, int? DatasetVersion, string? Error, DateTimeOffset CreatedAt);

/// <summary>
/// A run: where it is in the lifecycle, its progress, the leaderboard and best trial, its approval, the model version
/// it registered, its attempts newest first, and the rows it trains on (those with a label; how many were left out and why).
/// </summary>
public sealed record RunView(
    string RunId, string Project, string Dataset, int? DatasetVersion, RunStage Stage, RunStatus Status, RunProgressView Progress,
    IReadOnlyList<LeaderboardEntry> Trials, TrialResult? Best, ApprovalView? Approval, int? ModelVersion, string? Error, string Trigger,
    string? RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Attempt, string? PreviousRunId, IReadOnlyList<RunAttemptView> Attempts,
    ChampionComparison? Champion, string? SweepNote, TrainingRows? TrainingRows);

/// <summary>A trial on the leaderboard: its rank (null when it failed or lacks the metric), id <c>{runId}.{trialId}</c>, what it trained and how it scored.</summary>
public sealed record LeaderboardEntry(
    int? Rank, string Id, string TrialId, string Trainer, IReadOnlyDictionary<string, double> Parameters, TrialStatus Status,
    IReadOnlyDictionary<string, double> Metrics, int Rung, double Budget, int? Folds, int Seed, double TrainingSeconds, long ModelBytes, string? Error,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

/// <summary>A page of a run's leaderboard, the sort it is in (<c>metric:asc|desc</c>) and how many trials there are in all.</summary>
public sealed record LeaderboardView(string RunId, string Sort, IReadOnlyList<LeaderboardEntry> Trials, int Total, int Offset, int Limit, int? NextOffset);

/// <summary>
/// One trial with its run's project and dataset, its confusion matrix and recall per class, where its model is stored,
/// the rows it learned from, and its metrics per slice of the test set (<c>evaluation.sliceBy</c>).
/// </summary>
public sealed record TrialView(
    string Id, string RunId, string TrialId, string? Project, string? Dataset, int? DatasetVersion, string Trainer,
    IReadOnlyDictionary<string, double> Parameters, TrialStatus Status, IReadOnlyDictionary<string, double> Metrics, ConfusionMatrix? ConfusionMatrix,
    IReadOnlyDictionary<string, double>? PerClassRecall, int Seed, int? Folds, int Rung, double Budget, double TrainingSeconds, long ModelBytes,
    string? ModelUri, string? Error, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, TrainingRows? TrainingRows,
    IReadOnlyList<SliceMetrics>? Slices = null);
