using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// Watches a project's production model for as long as it has one: each cycle waits for the end of the next window,
/// runs one monitoring activity over it (drift, performance, alerts, retraining request), then continues as new, so
/// the history of an instance that runs for months stays one cycle long. Instance id: <c>monitor-{project}</c>.
/// </summary>
public sealed class MonitoringOrchestrator : TaskOrchestrator<MonitoringState, MonitoringState>
{
    public override async Task<MonitoringState> RunAsync(TaskOrchestrationContext context, MonitoringState state)
    {
        var windowEnd = state.NextWindowEnd ?? context.CurrentUtcDateTime;
        if (windowEnd > context.CurrentUtcDateTime)
            await context.CreateTimer(windowEnd, CancellationToken.None);
        var cycle = await context.CallActivityAsync<MonitoringCycle>(nameof(MonitorWindowActivity),
            new MonitorWindowInput(state.Project, windowEnd), RetryPolicies.Storage);
        var next = state with { Cycle = state.Cycle + 1, NextWindowEnd = windowEnd + cycle.Interval, LastReport = cycle.ReportId ?? state.LastReport };
        if (!cycle.Continue) return next; // monitoring off or no production model: the timer starts it again when there is one
        context.ContinueAsNew(next, preserveUnprocessedEvents: false);
        return next;
    }
}
