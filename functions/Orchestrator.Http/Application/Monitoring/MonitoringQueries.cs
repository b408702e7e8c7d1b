using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Application.Projects;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Monitoring;

/// <summary>Monitoring of the production model: the windows as series, the ML engineer's settings, a window on demand.</summary>
public sealed class MonitoringQueries(ProjectStore projectStore, ModelStore modelStore, DeploymentStore deploymentStore, MonitoringService monitoring,
    RetrainingScheduler scheduler, DataRights rights, TimeProvider clock, IOptions<ApprovalOptions> approvals,
    IOptions<MonitoringWindowOptions> windows)
{
    /// <summary>
    /// The windows from <paramref name="from"/> to <paramref name="to"/> (ISO 8601; default: the last 30 days), but
    /// those of models trained on a dataset restricted from the caller (their drift names its columns).
    /// </summary>
    public async Task<Outcome<MonitoringView>> GetAsync(string project, string? from, string? to, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        var errors = new Dictionary<string, string[]>();
        const string Example = "An ISO 8601 date or time, e.g. 2026-11-27T00:00:00Z.";
        var end = Checks.Time(to, "to", errors, Example) ?? clock.GetUtcNow();
        var start = Checks.Time(from, "from", errors, Example) ?? end.AddDays(-30);
        if (errors.Count > 0) return Failure.Invalid(errors);
        if (WindowTooLong(from is { Length: > 0 } ? "from" : "to", start, end) is { } tooLong) return tooLong;
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        var reader = rights.For(access);
        var reports = new List<MonitoringReport>();
        foreach (var report in await monitoring.ListAsync(project, start, end, ct))
            if (report.Dataset is not { } dataset || await reader.MayReadAsync(project, dataset, ct))
                reports.Add(report);
        var features = reports.SelectMany(r => r.Drift?.Features ?? []).Select(f => f.Feature).Distinct().Order().ToList();
        return Outcome<MonitoringView>.Ok(new MonitoringView(project, start, end,
            reports.Select(r => new MonitoringWindowView(r.ReportId, r.WindowStart, r.WindowEnd, r.ModelVersion, r.Predictions, r.FeedbackRows,
                r.Drift?.DatasetDrift, r.Drift?.DriftedShare, r.Alert, r.AlertReason, r.RetrainRequested)).ToList(),
            features.ToDictionary(f => f, f => (IReadOnlyList<FeatureDriftPoint?>)reports
                .Select(r => r.Drift?.Features.FirstOrDefault(x => x.Feature == f))
                .Select(x => x is null ? null : new FeatureDriftPoint(x.Score, x.Drifted, x.Method, x.Threshold, x.PValue, x.Psi)).ToList()),
            reports.Select(r => r.Drift?.Prediction is { } p ? new PredictionDriftPoint(p.Score, p.Drifted, p.Method) : null).ToList(),
            reports.Select(r => r.Performance).ToList(),
            reports.Where(r => r.Alert).Select(r => new MonitoringAlertView(r.ReportId, r.WindowEnd, r.AlertReason, r.RetrainRequested)).ToList(),
            await NewestHistogramsAsync(project, reports, features.Count, ct)));
    }

    /// <summary>Reports read back for histograms at most: each is a blob download, and a feature missing from the newest few is rare.</summary>
    private const int HistogramReports = 3;

    /// <summary>
    /// Each feature's histogram in the newest of <paramref name="reports"/> (oldest first) that has one, from the
    /// reports' blobs (the table keeps no histogram), newest first until every feature has one.
    /// </summary>
    private async Task<Dictionary<string, FeatureHistogramView>> NewestHistogramsAsync(string project, List<MonitoringReport> reports, int features, CancellationToken ct)
    {
        var histograms = new Dictionary<string, FeatureHistogramView>(StringComparer.Ordinal);
        foreach (var listed in Enumerable.Reverse(reports).Where(r => r.Drift is not null).Take(HistogramReports))
        {
            if (histograms.Count == features) break;
            var report = await monitoring.GetReportAsync(project, listed.ReportId, ct);
            foreach (var f in report?.Drift?.Features ?? [])
                if (f.Histogram is { } h && !histograms.ContainsKey(f.Feature))
                    histograms[f.Feature] = new FeatureHistogramView(listed.ReportId, listed.WindowEnd, f.Type, h.Bins);
        }
        return histograms;
    }

    /// <summary>
    /// The ML engineer's part of the project definition (the rest stays the data scientists'): checked like a project
    /// definition (invalid naming <c>monitoring.*</c>), applied from the monitoring's next cycle; monitoring starts when
    /// it is enabled with a model in production.
    /// </summary>
    public async Task<Outcome<MonitoringSettingsView>> PutSettingsAsync(string project, MonitoringSettings settings, DurableTaskClient client, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (await projectStore.GetProjectAsync(project, ct) is not { } definition) return Failure.ProjectNotFound(project);
        // One set of rules for a project definition, whoever changes which part of it.
        var (updated, errors) = ProjectValidation.Validate(definition with { Monitoring = settings }, approvals.Value);
        if (updated is null) return Failure.Invalid(errors, $"The monitoring settings of project '{project}' are invalid.");
        await projectStore.PutProjectAsync(updated, ct);
        await scheduler.EnsureMonitoringAsync(client, updated, ct);
        return Outcome<MonitoringSettingsView>.Ok(new MonitoringSettingsView(project, updated.Monitoring));
    }

    /// <summary>
    /// Runs one monitoring window now and returns its report; a conflict when nothing is in production or monitoring
    /// is off; forbidden when the production model was trained on a dataset restricted from the caller.
    /// </summary>
    public async Task<Outcome<MonitoringReport>> RunAsync(string project, MonitoringRunRequest? request, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (request is { WindowStart: { } start, WindowEnd: { } end } && start >= end) return Failure.Invalid("windowStart", "Must be before windowEnd.");
        if (request is { WindowStart: { } from } && WindowTooLong("windowStart", from, request.WindowEnd ?? clock.GetUtcNow()) is { } tooLong) return tooLong;
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        if (await deploymentStore.GetProductionVersionAsync(project, ct) is { } version && await modelStore.GetModelVersionAsync(project, version, ct) is { } production
            && await rights.DemandAsync(access, project, production.Dataset, ct) is { } restricted)
            return restricted;
        var (report, settings) = await monitoring.RunWindowAsync(project, request?.WindowEnd ?? clock.GetUtcNow(), request?.WindowStart, ct);
        return report is null
            ? Failure.Conflict("Nothing to monitor", settings.Enabled ? $"Project '{project}' has no model in production." : $"Monitoring is off for project '{project}'.")
            : Outcome<MonitoringReport>.Ok(report);
    }

    /// <summary>
    /// Invalid naming <paramref name="field"/> when the window from <paramref name="start"/> to <paramref name="end"/>
    /// is not a forward window of at most <see cref="MonitoringWindowOptions.MaxWindowDays"/>: its cost grows with it.
    /// </summary>
    private Failure? WindowTooLong(string field, DateTimeOffset start, DateTimeOffset end)
    {
        var max = windows.Value.MaxWindowDays;
        if (start > end) return Failure.Invalid(field, "The window must start before it ends.");
        return end - start > TimeSpan.FromDays(max)
            ? Failure.Invalid(field, $"A window spans at most {max} days (Monitoring:MaxWindowDays); ask for several.")
            : null;
    }
}
