using Microsoft.DurableTask;
using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Orchestrators;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class MonitoringOrchestratorTests
{
    [Fact]
    public async Task RunAsync_HundredCycles_EachGenerationIsOneTimerAndOneActivityThenContinuesAsNew()
    {
        var interval = TimeSpan.FromHours(1);
        var state = new MonitoringState("weather");
        var now = new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);
        for (var cycle = 0; cycle < 100; cycle++)
        {
            // Each generation is a fresh execution: its history holds only what this cycle did.
            var mocks = new OrchestrationMocks(InstanceIds.Monitoring("weather"));
            mocks.Context.SetupGet(c => c.CurrentUtcDateTime).Returns(now);
            var timers = new List<DateTime>();
            mocks.Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime at, CancellationToken _) => { timers.Add(at); now = at; return Task.CompletedTask; });
            object? continued = null;
            mocks.Context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>())).Callback((object? input, bool _) => continued = input);
            mocks.Activity(nameof(MonitorWindowActivity), input => new MonitoringCycle(true, interval, $"r{cycle}", false));

            await new MonitoringOrchestrator().RunAsync(mocks.Context.Object, state);

            var next = Assert.IsType<MonitoringState>(continued);
            Assert.Equal(cycle + 1, next.Cycle);
            Assert.Single(mocks.Calls);
            Assert.Equal(cycle == 0 ? 0 : 1, timers.Count); // the first window ends now; each later one on its timer
            var window = (MonitorWindowInput)mocks.Calls[0].Input!;
            Assert.Equal(state.NextWindowEnd ?? now, window.WindowEnd);
            Assert.Equal(window.WindowEnd + interval, next.NextWindowEnd);
            state = next;
        }
        Assert.Equal(new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc).AddHours(99), state.NextWindowEnd!.Value.AddHours(-1));
    }

    [Fact]
    public async Task RunAsync_NothingInProduction_EndsWithoutContinuing()
    {
        var mocks = new OrchestrationMocks(InstanceIds.Monitoring("weather"));
        mocks.Activity(nameof(MonitorWindowActivity), _ => new MonitoringCycle(false, TimeSpan.FromDays(1), null, false));
        var continued = false;
        mocks.Context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>())).Callback(() => continued = true);

        var result = await new MonitoringOrchestrator().RunAsync(mocks.Context.Object, new MonitoringState("weather", 5));

        Assert.False(continued);
        Assert.Equal(6, result.Cycle);
    }
}
