using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;

namespace Orchestrator.Http.Application.Monitoring;

/// <summary>A monitoring window on demand: by default the project's window ending now.</summary>
public sealed record MonitoringRunRequest(DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd);

/// <summary>One monitoring window: what it covered, its drift summary and its alert.</summary>
public sealed record MonitoringWindowView(
    string ReportId, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int? ModelVersion, long Predictions, long FeedbackRows,
    bool? DatasetDrift, double? DriftedShare, bool Alert, string? AlertReason, bool RetrainRequested);

/// <summary>A feature's drift in one window.</summary>
public sealed record FeatureDriftPoint(double Score, bool Drifted, string Method, double Threshold, double? PValue, double? Psi);

/// <summary>The predictions' drift in one window.</summary>
public sealed record PredictionDriftPoint(double Score, bool Drifted, string Method);

/// <summary>A feature's baseline-vs-window histogram in one window.</summary>
/// <param name="ReportId">The window's report.</param>
/// <param name="WindowEnd">The window's end.</param>
/// <param name="Type">The feature's column type in the baseline (number and date bins have edges, dates in days since 1970-01-01; other types have categories).</param>
/// <param name="Bins">The bins, each with the baseline's and the window's share and count.</param>
public sealed record FeatureHistogramView(string ReportId, DateTimeOffset WindowEnd, string Type, IReadOnlyList<HistogramBin> Bins);

/// <summary>A window that alerted.</summary>
public sealed record MonitoringAlertView(string ReportId, DateTimeOffset WindowEnd, string? AlertReason, bool RetrainRequested);

/// <summary>
/// The monitoring windows from <c>from</c> to <c>to</c> as series ready to plot, one value per window in order (null
/// where a window has none): per-feature drift, prediction drift, performance; and the alerts.
/// </summary>
/// <param name="Project">The project.</param>
/// <param name="From">Start of the range asked for.</param>
/// <param name="To">End of the range asked for.</param>
/// <param name="Windows">The windows ending in the range, oldest first.</param>
/// <param name="Series">Per feature, its drift in each window (null where the window did not compare it).</param>
/// <param name="Prediction">The predictions' drift in each window (null where none was measured).</param>
/// <param name="Performance">Metrics from feedback in each window (empty where none came).</param>
/// <param name="Alerts">The windows that alerted.</param>
/// <param name="Histograms">
/// Per feature, its baseline-vs-window histogram in the newest window that has one, among the range's last three
/// (one window only, to keep the answer small; each window's report holds its own). Like the series, only from
/// windows whose training dataset the caller may read.
/// </param>
public sealed record MonitoringView(
    string Project, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MonitoringWindowView> Windows,
    IReadOnlyDictionary<string, IReadOnlyList<FeatureDriftPoint?>> Series, IReadOnlyList<PredictionDriftPoint?> Prediction,
    IReadOnlyList<IReadOnlyDictionary<string, double>> Performance, IReadOnlyList<MonitoringAlertView> Alerts,
    IReadOnlyDictionary<string, FeatureHistogramView> Histograms);

/// <summary>The project's monitoring settings as they now apply.</summary>
public sealed record MonitoringSettingsView(string Project, MonitoringSettings Monitoring);
