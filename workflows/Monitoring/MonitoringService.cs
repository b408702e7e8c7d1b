using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Monitoring;

/// <summary>A monitoring window's findings: drift of features and predictions, performance where feedback exists, the alert.</summary>
public sealed record MonitoringReport(
    string Project, string ReportId, int? ModelVersion, string? Dataset, int? DatasetVersion,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Predictions, DriftReport? Drift,
    IReadOnlyDictionary<string, double> Performance, long FeedbackRows, IReadOnlyList<string> KpiBreaches,
    bool Alert, string? AlertReason, bool RetrainRequested, DateTimeOffset CreatedAt);

/// <summary>A request, left by monitoring, for the retraining timer to start a run on the newest data.</summary>
public sealed record RetrainRequest(string Project, string Reason, string ReportId, DateTimeOffset RequestedAt);

/// <summary>
/// Computes one monitoring window of a project's production model: the training version's data-quality profiles are
/// the baseline, the predictions logged in the window are the current data, feedback gives performance. The report is
/// kept (Blob and Table, keyed by the window's end, so a retried cycle overwrites its own), an alert is recorded and
/// emailed, and a retraining request left for the timer when the project asks for it (at most one per cooldown).
/// </summary>
public sealed class MonitoringService(
    ProjectStore projectStore, DatasetStore datasetStore, RunStore runStore, ModelStore modelStore, DeploymentStore deploymentStore, LakeStore lake,
    DatasetIngestion datasets, PredictionLog predictions, ModelCache models, TableServiceClient tables,
    LineageStore lineage, ApprovalMailer mailer, IOptions<ApprovalOptions> approvals, TimeProvider clock, WebhookPublisher webhooks)
{
    public const string Table = "monitoring";
    private const string RetrainRow = "~retrain";

    public static string ReportIdFor(DateTimeOffset windowEnd) => windowEnd.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    private readonly CreatedTable _table = new(tables, Table);

    private Task<TableClient> TableAsync(CancellationToken ct) => _table.GetAsync(ct);

    /// <summary>
    /// Runs the window ending at <paramref name="windowEnd"/> (starting one <see cref="MonitoringSettings.Window"/>
    /// before, or at <paramref name="windowStart"/>); null when the project has no production model or monitoring is off.
    /// </summary>
    public async Task<(MonitoringReport? Report, MonitoringSettings Settings)> RunWindowAsync(string project, DateTimeOffset windowEnd,
        DateTimeOffset? windowStart = null, CancellationToken ct = default)
    {
        var definition = await projectStore.GetProjectAsync(project, ct) ?? throw new InvalidOperationException($"Project '{project}' does not exist.");
        var settings = definition.Monitoring ?? new MonitoringSettings();
        if (!settings.Enabled) return (null, settings);
        var environment = await deploymentStore.GetEnvironmentAsync(project, DeploymentEnvironment.Production, ct);
        if (environment.Version is not { } version || await modelStore.GetModelVersionAsync(project, version, ct) is not { } model) return (null, settings);

        var reportId = ReportIdFor(windowEnd);
        var start = windowStart ?? windowEnd - settings.Window;
        await predictions.FlushAsync(ct); // what this process logged so far counts (other instances flush on their own interval)
        var datasetVersion = await datasetStore.GetDatasetVersionAsync(project, model.Dataset, model.DatasetVersion, ct);
        var baseline = datasetVersion is null ? null : (await datasets.ReadReportAsync(datasetVersion, ct))?.Profiles;
        var frame = Json.Deserialize<FeatureFrame>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, TrialRunner.FramePathFor(model.ModelBlob), ct)));
        var features = frame.RequiredSources.Select(c => c.Source).Distinct().ToList();

        var drift = (DriftReport?)null;
        long rows = 0;
        var performance = new Dictionary<string, double>();
        long feedbackRows = 0;
        if (baseline is not null)
        {
            var types = baseline.ToDictionary(p => p.Name, p => p.Type);
            var labelProfile = baseline.FirstOrDefault(p => p.Name == definition.Label);
            var builders = DriftDetector.WindowBuilders(baseline, features.Where(types.ContainsKey), labelProfile?.Name);
            var predicted = builders.Remove(DriftDetector.PredictionKey, out var predictedBuilder) ? predictedBuilder : null;
            var feedback = await predictions.ReadFeedbackAsync(project, start, windowEnd, ct);
            var scored = new List<(string Predicted, string Actual)>();
            await foreach (var record in predictions.ReadAsync(project, start, windowEnd, ct))
            {
                rows++;
                foreach (var (name, builder) in builders)
                    builder.Add(Canonical(record.Features.GetValueOrDefault(name), types[name]));
                if (predicted is not null) predicted.Add(Canonical(record.Prediction, labelProfile!.Type));
                if (record.Prediction is not null && feedback.TryGetValue(record.PredictionId, out var actual)) scored.Add((record.Prediction, actual));
            }
            var driftSettings = new DriftSettings(settings.NumericThreshold, settings.CategoricalThreshold, settings.PValue, DatasetDriftShare: settings.DatasetDriftShare);
            // Predictions are compared with what the same model predicted on its training data, not with the labels:
            // a model's own bias (rare classes predicted less often) is not drift.
            var predictedReference = labelProfile is null ? null : await PredictionBaselineAsync(model, labelProfile, ct);
            var reference = baseline.Select(p => p.Name == labelProfile?.Name ? predictedReference! : p).ToList();
            drift = DriftDetector.Detect(reference, builders.ToDictionary(b => b.Key, b => b.Value.ToStats()), driftSettings, definition.Label, predicted?.ToStats());
            feedbackRows = scored.Count;
            foreach (var (metric, value) in Performance(definition.Task, scored)) performance[metric] = value;
        }

        var breaches = definition.Kpis.Where(k => performance.TryGetValue(k.Metric, out var v) && ((k.Min is { } min && v < min) || (k.Max is { } max && v > max)))
            .Select(k => $"{k.Metric} {performance[k.Metric].ToString("0.####", CultureInfo.InvariantCulture)} (KPI {(k.Min is { } mn ? $"≥ {mn}" : "")}{(k.Max is { } mx ? $" ≤ {mx}" : "")})")
            .ToList();
        var reasons = new List<string>();
        // The email leaves the API's access checks: it names no column of a restricted dataset (the API's report does, to those who may read it).
        var mailReasons = new List<string>();
        if (drift is { DatasetDrift: true })
        {
            var count = $"data drift on {drift.Features.Count(f => f.Drifted)} of {drift.Features.Count} features";
            reasons.Add($"{count} ({string.Join(", ", drift.Features.Where(f => f.Drifted).Select(f => f.Feature))})");
            mailReasons.Add((await datasetStore.GetDatasetAsync(project, model.Dataset, ct))?.RestrictedTo is { Count: > 0 } ? $"{count} (the dataset is restricted: see the report for which)" : reasons[^1]);
        }
        if (drift?.Prediction is { Drifted: true } p) reasons.Add($"prediction drift ({p.Method} {p.Score.ToString("0.###", CultureInfo.InvariantCulture)})");
        if (breaches.Count > 0) reasons.Add($"KPI breach: {string.Join("; ", breaches)}");
        mailReasons.AddRange(reasons.Skip(mailReasons.Count));
        var alert = reasons.Count > 0;
        var retrain = alert && settings.RetrainOnDrift && await RequestRetrainingAsync(project, string.Join("; ", reasons), reportId, settings.Cooldown, ct);

        var report = new MonitoringReport(project, reportId, version, model.Dataset, model.DatasetVersion, start, windowEnd, rows, drift,
            performance, feedbackRows, breaches, alert, alert ? string.Join("; ", reasons) : null, retrain, clock.GetUtcNow());
        // Keyed by the window: a retried cycle publishes the same event again, which is delivered once.
        if (drift is { DatasetDrift: true } || drift?.Prediction is { Drifted: true })
            await webhooks.PublishAsync(WebhookEvent.DriftDetected(report, report.CreatedAt), ct);
        await lake.UploadBytesAsync(StorageNames.ReportsContainer, ReportPath(project, reportId), Encoding.UTF8.GetBytes(Json.Serialize(report)), "application/json", ct);
        var table = await TableAsync(ct);
        var previous = await table.GetEntityIfExistsAsync<TableEntity>(project, reportId, cancellationToken: ct);
        await table.UpsertEntityAsync(new TableEntity(project, reportId) { ["Json"] = Json.Serialize(WithoutHistograms(report)), ["At"] = windowEnd }, TableUpdateMode.Replace, ct);
        await lineage.RecordAsync(LineageEdges.Monitored(project, reportId, version, environment.Sequence, report.CreatedAt, alert), ct);
        // A retried cycle finds its report already alerted: one email per window.
        var alreadyAlerted = previous.HasValue && previous.Value?.GetString("Json") is { } json && Json.Deserialize<MonitoringReport>(json).Alert;
        if (alert && !alreadyAlerted) await AlertAsync(definition, report, string.Join("; ", mailReasons), ct);
        return (report, settings);
    }

    /// <summary>
    /// The distribution of the model's own predictions on (up to 5,000 rows of) its training version, computed once
    /// per model and kept next to it: the reference for prediction drift.
    /// </summary>
    private async Task<ColumnProfile> PredictionBaselineAsync(ModelVersionInfo model, ColumnProfile label, CancellationToken ct)
    {
        var path = model.ModelBlob[..(model.ModelBlob.LastIndexOf('/') + 1)] + "prediction-baseline.json";
        if (await lake.ExistsAsync(StorageNames.ModelsContainer, path, ct))
            return Json.Deserialize<ColumnProfile>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, path, ct)));
        var (data, _) = await datasets.ReadCuratedAsync(model.Project, model.Dataset, model.DatasetVersion, ct);
        var rows = data.SampleRows(5000);
        var builder = new ColumnStatsBuilder(label.Name, label.Type, label.Histogram?.Edges);
        foreach (var prediction in (await models.GetAsync(model)).Predict(rows))
            builder.Add(Canonical(PredictionText(prediction.Value), label.Type));
        var profile = ColumnProfiles.ToProfile(builder.ToStats());
        await lake.UploadBytesAsync(StorageNames.ModelsContainer, path, Encoding.UTF8.GetBytes(Json.Serialize(profile)), "application/json", ct);
        return profile;
    }

    /// <summary>A predicted value as the prediction log keeps it (invariant text).</summary>
    public static string? PredictionText(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString(),
    };

    private static string? Canonical(string? value, string type) =>
        TabularReader.Normalize(value) is { } v ? DatasetCurator.Coerce(v, type) : null;

    /// <summary>Accuracy for classification, RMSE and MAE for regression, over the window's predictions that got feedback.</summary>
    private static IEnumerable<(string Metric, double Value)> Performance(string task, List<(string Predicted, string Actual)> scored)
    {
        if (scored.Count == 0) yield break;
        if (task == MlTask.Regression)
        {
            var errors = scored.Select(s => double.TryParse(s.Predicted, CultureInfo.InvariantCulture, out var p) && double.TryParse(s.Actual, CultureInfo.InvariantCulture, out var a) ? p - a : double.NaN)
                .Where(double.IsFinite).ToList();
            if (errors.Count == 0) yield break;
            yield return ("rmse", Math.Round(Math.Sqrt(errors.Average(e => e * e)), 6));
            yield return ("mae", Math.Round(errors.Average(Math.Abs), 6));
            yield break;
        }
        var accuracy = Math.Round(scored.Count(s => string.Equals(s.Predicted, s.Actual, StringComparison.OrdinalIgnoreCase)) / (double)scored.Count, 6);
        yield return (task == MlTask.Binary ? "accuracy" : "microAccuracy", accuracy);
    }

    /// <summary>Leaves a retraining request unless a drift-triggered run started within the cooldown (or one is waiting).</summary>
    private async Task<bool> RequestRetrainingAsync(string project, string reason, string reportId, TimeSpan cooldown, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var recent = (await runStore.ListRunsAsync(project, ct)).Where(r => r.Trigger == "drift").Select(r => r.CreatedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        if (now - recent < cooldown) return false;
        var table = await TableAsync(ct);
        try
        {
            await table.AddEntityAsync(new TableEntity(project, RetrainRow) { ["Json"] = Json.Serialize(new RetrainRequest(project, reason, reportId, now)) }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false; // one is already waiting for the timer
        }
    }

    /// <summary>The retraining request waiting for the timer, if any.</summary>
    public async Task<RetrainRequest?> GetRetrainRequestAsync(string project, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(project, RetrainRow, cancellationToken: ct);
        return entity.HasValue && entity.Value?.GetString("Json") is { } json ? Json.Deserialize<RetrainRequest>(json) : null;
    }

    public async Task ClearRetrainRequestAsync(string project, CancellationToken ct = default) =>
        await (await TableAsync(ct)).DeleteEntityAsync(project, RetrainRow, ETag.All, ct);

    private async Task AlertAsync(ProjectDefinition project, MonitoringReport report, string reason, CancellationToken ct)
    {
        var table = await TableAsync(ct);
        await table.UpsertEntityAsync(new TableEntity(project.Name, $"~alert:{report.ReportId}") { ["Json"] = Json.Serialize(WithoutHistograms(report)) }, TableUpdateMode.Replace, ct);
        var to = approvals.Value.Resolve(project.Monitoring?.AlertEmails is { Count: > 0 } emails ? emails : project.Approvers) ?? [];
        var text = $"""
            Monitoring of project {project.Name} (model version {report.ModelVersion}) found a problem in the window {report.WindowStart:u} – {report.WindowEnd:u}:
            {reason}.

            Predictions in the window: {report.Predictions}; with feedback: {report.FeedbackRows}.
            {(report.RetrainRequested ? "A retraining run on the newest data was requested." : project.Monitoring?.RetrainOnDrift == true ? "No retraining run: one started within the cooldown." : "Retraining on drift is off for this project.")}
            Details: GET /api/projects/{project.Name}/monitoring
            """;
        foreach (var address in to)
            await mailer.SendAsync(new EmailMessage(address, $"[{project.Name}] monitoring alert: {reason}", text,
                $"<pre>{System.Net.WebUtility.HtmlEncode(text)}</pre>"), ct);
    }

    private static string ReportPath(string project, string reportId) => $"{project}/monitoring/{reportId}.json";

    /// <summary>
    /// The report as the table keeps it: without the histograms, which only the blob holds — a table property holds
    /// at most 32K characters, and a feature's histogram takes about 3K of them.
    /// </summary>
    private static MonitoringReport WithoutHistograms(MonitoringReport report) => report.Drift is not { } drift ? report : report with
    {
        Drift = drift with { Features = [.. drift.Features.Select(f => f with { Histogram = null })], Prediction = drift.Prediction is { } p ? p with { Histogram = null } : null },
    };

    /// <summary>A window's whole report, histograms included (from its blob); null when it has none.</summary>
    public async Task<MonitoringReport?> GetReportAsync(string project, string reportId, CancellationToken ct = default)
    {
        var path = ReportPath(project, reportId);
        return await lake.ExistsAsync(StorageNames.ReportsContainer, path, ct)
            ? Json.Deserialize<MonitoringReport>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ReportsContainer, path, ct)))
            : null;
    }

    /// <summary>Reports of windows ending in [from, to], oldest first, and the alerts among them; without histograms (see <see cref="GetReportAsync"/>).</summary>
    public async Task<List<MonitoringReport>> ListAsync(string project, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var table = await TableAsync(ct);
        var (low, high) = (ReportIdFor(from), ReportIdFor(to));
        var list = new List<MonitoringReport>();
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == project && e.RowKey.CompareTo(low) >= 0 && e.RowKey.CompareTo(high) <= 0, cancellationToken: ct))
            list.Add(Json.Deserialize<MonitoringReport>(e.GetString("Json")));
        return list.OrderBy(r => r.WindowEnd).ToList();
    }
}
