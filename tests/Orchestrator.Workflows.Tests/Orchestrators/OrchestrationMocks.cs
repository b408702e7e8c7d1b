using Microsoft.DurableTask;
using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Tests.Orchestrators;

/// <summary>A mocked orchestration context that records activity and sub-orchestration calls.</summary>
internal sealed class OrchestrationMocks
{
    public Mock<TaskOrchestrationContext> Context { get; } = new() { CallBase = true };
    public List<(string Name, object? Input)> Calls { get; } = [];
    public List<RunUpdate> RunUpdates { get; } = [];
    public DateTime Now { get; } = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    public OrchestrationMocks(string instanceId = "run-1")
    {
        Context.SetupGet(c => c.InstanceId).Returns(instanceId);
        Context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        Activity<bool>(nameof(UpdateRunActivity), input => { RunUpdates.Add((RunUpdate)input!); return true; });
    }

    public void Activity<T>(string name, Func<object?, T> result) =>
        Context.Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName n, object? input, TaskOptions? _) => { Calls.Add((n.Name, input)); return Task.FromResult(result(input)); });

    public void ActivityTask<T>(string name, Func<object?, Task<T>> result) =>
        Context.Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName n, object? input, TaskOptions? _) => { Calls.Add((n.Name, input)); return result(input); });

    public void SubOrchestrator<T>(string name, Func<object?, T> result) =>
        Context.Setup(c => c.CallSubOrchestratorAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName n, object? input, TaskOptions? _) => { Calls.Add((n.Name, input)); return Task.FromResult(result(input)); });

    public int CallCount(string name) => Calls.Count(c => c.Name == name);

    public static RunContext RunContext(TimeSpan? timeout = null, int parallel = 4, ApprovalPolicy? policy = null) =>
        new("multiclass", "microAccuracy", [new Kpi("microAccuracy", 0.7)],
            policy ?? new ApprovalPolicy(["sme@example.com"], 1, TimeSpan.FromHours(24), TimeSpan.FromHours(72), [], timeout ?? TimeSpan.FromDays(7), null), parallel);

    public static TrialResult Trial(string id, double micro, TrialStatus status = TrialStatus.Succeeded) =>
        new("run-1", id, "LightGbm", new Dictionary<string, double>(), status,
            status == TrialStatus.Succeeded ? new Dictionary<string, double> { ["microAccuracy"] = micro } : new Dictionary<string, double>(),
            status == TrialStatus.Succeeded ? $"p/run-1/{id}/model.zip" : null, 0.1, status == TrialStatus.Succeeded ? null : "boom");
}
