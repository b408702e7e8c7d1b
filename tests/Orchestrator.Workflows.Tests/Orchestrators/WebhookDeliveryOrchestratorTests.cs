using Microsoft.DurableTask;
using Moq;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Orchestrators;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Tests.Orchestrators;

public sealed class WebhookDeliveryOrchestratorTests
{
    private static readonly WebhookDeliveryInput Input = new("wh-1", "evt-1", 4, TimeSpan.FromSeconds(2), 2, TimeSpan.FromMinutes(1));

    private static WebhookDelivery Delivery(string status, int attempts, int? code = null, string? error = null) =>
        new("wh-1", "evt-1", WebhookEventTypes.ModelPromoted, "weather", status, attempts, code, error, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task RunAsync_ReceiverAnswers_DeliveredWithTheConfiguredRetryPolicyAndNoDeadLetter()
    {
        var mocks = new OrchestrationMocks(InstanceIds.WebhookDelivery("wh-1", "evt-1"));
        TaskOptions? options = null;
        mocks.Context.Setup(c => c.CallActivityAsync<WebhookDelivery>(It.Is<TaskName>(n => n.Name == nameof(DeliverWebhookActivity)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? _, TaskOptions? o) => { options = o; return Task.FromResult(Delivery(WebhookDeliveryStatus.Delivered, 1, 200)); });

        var result = await new WebhookDeliveryOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal(WebhookDeliveryStatus.Delivered, result.Status);
        var policy = options!.Retry!.Policy!;
        Assert.Equal((4, TimeSpan.FromSeconds(2), 2d, TimeSpan.FromMinutes(1)),
            (policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval));
        Assert.Equal(0, mocks.CallCount(nameof(DeadLetterWebhookActivity)));
    }

    [Fact]
    public async Task RunAsync_RetriesExhausted_DeadLettersWithTheLastError()
    {
        var mocks = new OrchestrationMocks(InstanceIds.WebhookDelivery("wh-1", "evt-1"));
        // What the SDK throws once the retry policy has run out of attempts.
        mocks.ActivityTask<WebhookDelivery>(nameof(DeliverWebhookActivity), _ => Task.FromException<WebhookDelivery>(
            new TaskFailedException(nameof(DeliverWebhookActivity), 1, new TaskFailureDetails(typeof(WebhookDeliveryException).FullName!, "HTTP 500 Internal Server Error", null, null, null))));
        mocks.Activity(nameof(DeadLetterWebhookActivity), input => Delivery(WebhookDeliveryStatus.DeadLettered, 4, 500, ((WebhookAttemptInput)input!).Error));

        var result = await new WebhookDeliveryOrchestrator().RunAsync(mocks.Context.Object, Input);

        Assert.Equal((WebhookDeliveryStatus.DeadLettered, 4, 500), (result.Status, result.Attempts, result.LastStatusCode));
        var deadLetter = (WebhookAttemptInput)mocks.Calls.Single(c => c.Name == nameof(DeadLetterWebhookActivity)).Input!;
        Assert.Equal(new WebhookAttemptInput("wh-1", "evt-1", "HTTP 500 Internal Server Error"), deadLetter);
    }

    [Fact]
    public void WebhookDelivery_SameSubscriptionAndEvent_SameInstance() =>
        Assert.Equal(InstanceIds.WebhookDelivery("wh-1", "evt-1"), InstanceIds.WebhookDelivery("wh-1", "evt-1"));
}
