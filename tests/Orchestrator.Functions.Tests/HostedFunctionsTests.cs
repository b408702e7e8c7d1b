using System.Reflection;
using Microsoft.DurableTask;
using Orchestrator.Workflows;

namespace Orchestrator.Functions.Tests;

/// <summary>
/// The functions the worker reports to the Functions host, resolved in-process from the app's own host
/// (<see cref="FunctionsAppHost"/>): the generated metadata provider plus every registered metadata transformer,
/// of which the Durable extension's adds one orchestration/activity trigger function per registered task.
/// </summary>
public class HostedFunctionsTests
{
    private static readonly Lazy<Task<IReadOnlyList<FunctionInfo>>> Functions = new(async () =>
        (await FunctionsAppHost.GetFunctionMetadataAsync()).Select(AppMetadata.Parse).ToList());

    /// <summary>The task name the Durable SDK gives a class: its [DurableTask] name, else the class name.</summary>
    private static string TaskName(Type type) =>
        type.GetCustomAttribute<DurableTaskAttribute>()?.Name.Name is { Length: > 0 } name ? name : type.Name;

    public static TheoryData<string> OrchestratorNames() => new(WorkflowRegistry.Orchestrators.Select(TaskName));
    public static TheoryData<string> ActivityNames() => new(WorkflowRegistry.Activities.Select(TaskName));

    [Theory]
    [MemberData(nameof(OrchestratorNames))]
    public async Task GetFunctionMetadata_WorkflowOrchestrator_HasOrchestrationTriggerFunction(string name)
    {
        var function = Assert.Single(await Functions.Value, f => f.Name == name);
        Assert.Equal("orchestrationTrigger", function.TriggerType);
    }

    [Theory]
    [MemberData(nameof(ActivityNames))]
    public async Task GetFunctionMetadata_WorkflowActivity_HasActivityTriggerFunction(string name)
    {
        var function = Assert.Single(await Functions.Value, f => f.Name == name);
        Assert.Equal("activityTrigger", function.TriggerType);
    }

    [Fact]
    public async Task GetFunctionMetadata_DurableFunctions_AreExactlyTheWorkflowTasks()
    {
        var expected = WorkflowRegistry.Orchestrators.Concat(WorkflowRegistry.Activities).Select(TaskName).Order(StringComparer.Ordinal);
        var actual = (await Functions.Value).Where(f => f.TriggerType is "orchestrationTrigger" or "activityTrigger" or "entityTrigger")
            .Select(f => f.Name).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task GetFunctionMetadata_AllFunctions_HaveUniqueNames()
    {
        var duplicates = (await Functions.Value).GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public async Task GetFunctionMetadata_TriggerFunctions_MatchGeneratedFunctionsMetadataFile()
    {
        // The in-process provider (worker indexing) and the build's functions.metadata describe the same trigger functions.
        var file = AppMetadata.FunctionsMetadataFile().Select(f => (f.Name, f.TriggerType, Route: f.Get("route"), Methods: string.Join(",", f.Methods)));
        var hosted = (await Functions.Value).Where(f => f.TriggerType is "httpTrigger" or "timerTrigger")
            .Select(f => (f.Name, f.TriggerType, Route: f.Get("route"), Methods: string.Join(",", f.Methods)));
        Assert.Equal(file.OrderBy(x => x.Name, StringComparer.Ordinal), hosted.OrderBy(x => x.Name, StringComparer.Ordinal));
    }
}
