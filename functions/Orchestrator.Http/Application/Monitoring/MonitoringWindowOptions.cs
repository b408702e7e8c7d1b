namespace Orchestrator.Http.Application.Monitoring;

/// <summary>Limits of the monitoring queries (section <c>Monitoring</c>).</summary>
public sealed class MonitoringWindowOptions
{
    /// <summary>
    /// The longest window <c>GET …/monitoring</c> lists or <c>POST …/monitoring/run</c> computes, in days; 92 by default
    /// (a quarter): a window's cost grows with the predictions in it.
    /// </summary>
    public int MaxWindowDays { get; set; } = 92;
}
