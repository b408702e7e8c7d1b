using Microsoft.DurableTask;
using Orchestrator.Workflows.Activities;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Orchestrators;

/// <summary>
/// Delivers one event to one subscription: the delivery activity POSTs the signed envelope and fails unless the
/// receiver answers 2xx, retried with exponential backoff (durable timers) up to the configured attempts; when they are
/// spent, the delivery becomes a dead letter. The instance id derives from the subscription and the event, so an event
/// dispatched twice is delivered by one instance. Lifecycle orchestrations never wait for it.
/// </summary>
public sealed class WebhookDeliveryOrchestrator : TaskOrchestrator<WebhookDeliveryInput, WebhookDelivery>
{
    public override async Task<WebhookDelivery> RunAsync(TaskOrchestrationContext context, WebhookDeliveryInput input)
    {
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(Math.Max(1, input.MaxAttempts), input.FirstRetryInterval,
            Math.Max(1, input.BackoffCoefficient), input.MaxRetryInterval));
        var attempt = new WebhookAttemptInput(input.SubscriptionId, input.EventId);
        try
        {
            return await context.CallActivityAsync<WebhookDelivery>(nameof(DeliverWebhookActivity), attempt, retry);
        }
        catch (TaskFailedException e)
        {
            // Every attempt failed: keep it as a dead letter, with the last status and error, instead of failing the instance.
            return await context.CallActivityAsync<WebhookDelivery>(nameof(DeadLetterWebhookActivity),
                attempt with { Error = e.FailureDetails.ErrorMessage }, RetryPolicies.Storage);
        }
    }
}
