using System.Globalization;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Application.Monitoring;
using Orchestrator.Http.Application.Serving;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Models;

/// <summary>
/// Champion (production) against challenger (staging) on the same live rows: the shadow predictions of the canary
/// traffic of requests made in a window, by the versions that serve the two environments now.
/// </summary>
/// <param name="Project">The project.</param>
/// <param name="Task">Its task: decides between agreement and mean absolute difference, and the metrics.</param>
/// <param name="From">Start of the window (requests made from then).</param>
/// <param name="To">End of the window (excluded).</param>
/// <param name="Champion">The version serving production, or null.</param>
/// <param name="Challenger">The version serving staging, or null.</param>
/// <param name="CanaryPercent">The project's <c>deployment.canaryPercent</c> now.</param>
/// <param name="Shadowed">Rows of the window both models scored.</param>
/// <param name="Agreement">Classification: the share of those rows both gave the same label; null for regression or without rows.</param>
/// <param name="MeanAbsoluteDifference">Regression: the mean absolute difference of their values; null otherwise.</param>
/// <param name="FeedbackRows">Shadowed rows with feedback: both models' metrics are computed on exactly these.</param>
/// <param name="ChampionMetrics">The champion's task metrics on those rows (micro/macro accuracy, accuracy, or RMSE and MAE); empty without feedback.</param>
/// <param name="ChallengerMetrics">The challenger's, on the same rows.</param>
/// <param name="ThisInstance">What the answering server's shadow queue did since it started (skipped rows are in no log).</param>
public sealed record ModelComparisonView(
    string Project, string Task, DateTimeOffset From, DateTimeOffset To, int? Champion, int? Challenger, double CanaryPercent,
    long Shadowed, double? Agreement, double? MeanAbsoluteDifference, long FeedbackRows,
    IReadOnlyDictionary<string, double> ChampionMetrics, IReadOnlyDictionary<string, double> ChallengerMetrics, ShadowCounts ThisInstance);

/// <summary>Compares the models of production and staging on the canary traffic they both scored.</summary>
public sealed class ModelComparison(ProjectStore projectStore, DeploymentStore deploymentStore, ModelStore modelStore, PredictionLog log,
    ShadowScoring shadow, DataRights rights, TimeProvider clock, IOptions<MonitoringWindowOptions> windows)
{
    private const int DefaultDays = 7;

    /// <summary>
    /// The comparison of what serves production and staging now, over the shadow predictions of requests made from
    /// <paramref name="from"/> to <paramref name="to"/> (ISO 8601; default: the last 7 days; at most
    /// <see cref="MonitoringWindowOptions.MaxWindowDays"/>); forbidden when either model was trained on a dataset
    /// restricted from the caller (their metrics are computed from it).
    /// </summary>
    public async Task<Outcome<ModelComparisonView>> CompareAsync(string project, string? from, string? to, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        var errors = new Dictionary<string, string[]>();
        const string Example = "An ISO 8601 date or time, e.g. 2026-11-27T00:00:00Z.";
        var end = Checks.Time(to, "to", errors, Example) ?? clock.GetUtcNow();
        var start = Checks.Time(from, "from", errors, Example) ?? end.AddDays(-DefaultDays);
        if (errors.Count > 0) return Failure.Invalid(errors);
        var field = from is { Length: > 0 } ? "from" : "to";
        if (start >= end) return Failure.Invalid(field, "The window must start before it ends.");
        if (end - start > TimeSpan.FromDays(windows.Value.MaxWindowDays))
            return Failure.Invalid(field, $"A window spans at most {windows.Value.MaxWindowDays} days (Monitoring:MaxWindowDays); ask for several.");
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return Failure.ProjectNotFound(project);

        var champion = (await deploymentStore.GetEnvironmentAsync(project, DeploymentEnvironment.Production, ct)).Version;
        var challenger = (await deploymentStore.GetEnvironmentAsync(project, DeploymentEnvironment.Staging, ct)).Version;
        foreach (var version in new[] { champion, challenger }.OfType<int>().Distinct())
            if (await modelStore.GetModelVersionAsync(project, version, ct) is { } model && await rights.DemandAsync(access, project, model.Dataset, ct) is { } restricted)
                return restricted;

        await log.FlushAsync(ct); // what this process logged so far counts (other instances flush on their own interval)
        var pairs = new Dictionary<string, (string? Champion, string? Challenger)>(StringComparer.Ordinal);
        await foreach (var record in log.ReadShadowAsync(project, start, end, ct))
            if (record.ModelVersion == challenger && record.Champion is { } answer && answer.ModelVersion == champion)
                pairs.TryAdd(record.PredictionId, (answer.Prediction, record.Prediction));
        var feedback = pairs.Count == 0 ? new Dictionary<string, string>() : await log.ReadFeedbackAsync(project, start, end, ct);
        var labelled = pairs.Where(p => feedback.ContainsKey(p.Key)).Select(p => (p.Value.Champion, p.Value.Challenger, Actual: feedback[p.Key])).ToList();

        var regression = definition.Task == MlTask.Regression;
        var both = pairs.Values.ToList();
        double? agreement = regression || both.Count == 0 ? null : Math.Round(both.Count(p => SameLabel(p.Champion, p.Challenger)) / (double)both.Count, 6);
        double? difference = regression ? MeanAbsolute(both.Select(p => (p.Champion, p.Challenger))) : null;
        return Outcome<ModelComparisonView>.Ok(new ModelComparisonView(project, definition.Task, start, end, champion, challenger,
            definition.Deployment?.CanaryPercent ?? 0, pairs.Count, agreement, difference, labelled.Count,
            TaskMetrics(definition.Task, labelled.Select(l => (l.Champion, l.Actual)).ToList()),
            TaskMetrics(definition.Task, labelled.Select(l => (l.Challenger, l.Actual)).ToList()),
            shadow.CountsFor(project)));
    }

    private static bool SameLabel(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>The mean of |a − b| over the pairs where both are numbers; null when none is.</summary>
    private static double? MeanAbsolute(IEnumerable<(string? A, string? B)> pairs)
    {
        var gaps = pairs.Select(p => Number(p.A) is { } a && Number(p.B) is { } b ? Math.Abs(a - b) : (double?)null).OfType<double>().ToList();
        return gaps.Count == 0 ? null : Math.Round(gaps.Average(), 6);
    }

    /// <summary>
    /// One model's metrics on the rows that got feedback, named as the task's metrics: micro and macro accuracy
    /// (multiclass), accuracy (binary), RMSE and MAE (regression); empty without feedback.
    /// </summary>
    private static Dictionary<string, double> TaskMetrics(string task, List<(string? Predicted, string Actual)> rows)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (rows.Count == 0) return metrics;
        if (task == MlTask.Regression)
        {
            var squared = rows.Select(r => Number(r.Predicted) is { } p && Number(r.Actual) is { } a ? (p - a) * (p - a) : (double?)null).OfType<double>().ToList();
            if (squared.Count == 0) return metrics;
            metrics["rmse"] = Math.Round(Math.Sqrt(squared.Average()), 6);
            metrics["mae"] = MeanAbsolute(rows.Select(r => (r.Predicted, (string?)r.Actual)))!.Value;
            return metrics;
        }
        var accuracy = Math.Round(rows.Count(r => SameLabel(r.Predicted, r.Actual)) / (double)rows.Count, 6);
        if (task == MlTask.Binary)
        {
            metrics["accuracy"] = accuracy;
            return metrics;
        }
        metrics["microAccuracy"] = accuracy;
        // Macro accuracy: the mean over the true classes of the share of each class's rows predicted as it.
        metrics["macroAccuracy"] = Math.Round(rows.GroupBy(r => r.Actual, StringComparer.OrdinalIgnoreCase)
            .Average(c => c.Count(r => SameLabel(r.Predicted, r.Actual)) / (double)c.Count()), 6);
        return metrics;
    }
}
