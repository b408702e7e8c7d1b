using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Http.Application.Projects;

/// <summary>A project definition as the API answers it: what was defined, with the defaults that apply filled in.</summary>
public sealed record ProjectView(
    string Name, string Task, string Label, IReadOnlyList<string>? Features, Featurization Featurization, string PrimaryMetric,
    IReadOnlyList<Kpi> Kpis, IReadOnlyList<string> Approvers, int Quorum, TimeSpan RemindAfter, TimeSpan EscalateAfter,
    IReadOnlyList<string> EscalationContacts, TimeSpan ApprovalTimeout, string? RetrainSchedule,
    IReadOnlyList<CandidateSpec>? Candidates, SearchSpaceDefinition? SearchSpace, int? MaxParallelTrials, int? MaxFailedTrials,
    TimeSpan? TimeBudget, Kpi? StopWhen, double? MinImprovement, int? CrossValidationFolds, double TestFraction, int Seed,
    string RetrainWhen, MonitoringSettings Monitoring, bool FourEyes, EvaluationSettings Evaluation)
{
    public static ProjectView Of(ProjectDefinition p) => new(
        p.Name, p.Task, p.Label, p.Features, p.Featurization ?? new Featurization(), p.PrimaryMetric, p.Kpis, p.Approvers, p.Quorum,
        p.RemindAfter, p.EscalateAfter, p.EscalationContacts, p.ApprovalTimeout, p.RetrainSchedule,
        p.Candidates ?? (p.SearchSpace is null ? Workflows.Training.SearchSpace.Default(p.Task) : null), p.SearchSpace,
        p.MaxParallelTrials, p.MaxFailedTrials, p.TimeBudget, p.StopWhen, p.MinImprovement, p.CrossValidationFolds, p.TestFraction, p.Seed,
        p.RetrainWhen, p.Monitoring ?? new MonitoringSettings(), p.FourEyes, p.Evaluation ?? new EvaluationSettings())
        { Deployment = p.Deployment ?? new DeploymentSettings(), BatchScoring = p.BatchScoring };

    /// <summary>Scheduled batch scoring (<c>batchScoring</c>), null when there is none.</summary>
    public BatchScoringSchedule? BatchScoring { get; init; }

    /// <summary>Canary traffic to the staging model (<c>deployment.canaryPercent</c>, 0 when not set).</summary>
    public DeploymentSettings Deployment { get; init; } = new();
}

/// <summary>The projects the caller may read.</summary>
public sealed record ProjectListView(IReadOnlyList<ProjectSummaryView> Projects);

/// <summary>A project in a list: what it predicts and who approves it.</summary>
public sealed record ProjectSummaryView(string Name, string Task, string Label, string PrimaryMetric, IReadOnlyList<string> Approvers, bool FourEyes)
{
    public static ProjectSummaryView Of(ProjectDefinition p) => new(p.Name, p.Task, p.Label, p.PrimaryMetric, p.Approvers, p.FourEyes);
}
