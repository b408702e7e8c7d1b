using Orchestrator.Workflows.Model;

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

/// <summary>A window that alerted.</summary>
public sealed record MonitoringAlertView(string ReportId, DateTimeOffset WindowEnd, string? AlertReason, bool RetrainRequested);

/// <summary>
/// The monitoring windows from <c>from</c> to <c>to</c> as series ready to plot, one value per window in order (null
/// where a window has none): per-feature drift, prediction drift, performance; and the alerts.
/// </summary>
public sealed record MonitoringView(
    string Project, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MonitoringWindowView> Windows,
    IReadOnlyDictionary<string, IReadOnlyList<FeatureDriftPoint?>> Series, IReadOnlyList<PredictionDriftPoint?> Prediction,
    IReadOnlyList<IReadOnlyDictionary<string, double>> Performance, IReadOnlyList<MonitoringAlertView> Alerts);

/// <summary>The project's monitoring settings as they now apply.</summary>
public sealed record MonitoringSettingsView(string Project, MonitoringSettings Monitoring);
