using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orchestrator.Http.Application;

/// <summary>Readiness: Blob and Table storage answer a cheap call (their service properties) within the check's time.</summary>
public sealed class StorageHealthCheck(BlobServiceClient blobs, TableServiceClient tables) : IHealthCheck
{
    /// <summary>How long the check waits for storage before saying it is down.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(Timeout);
        try
        {
            await Task.WhenAll(blobs.GetPropertiesAsync(wait.Token), tables.GetPropertiesAsync(wait.Token));
            return HealthCheckResult.Healthy("Blob and Table storage answer.");
        }
        catch (Exception e) when (e is OperationCanceledException || StorageFaults.IsUnavailable(e))
        {
            return HealthCheckResult.Unhealthy($"Storage does not answer: {StorageFaults.Describe(e)}");
        }
    }
}

/// <summary>Which exceptions mean storage is not reachable now (rather than a bug or a bad request).</summary>
public static class StorageFaults
{
    /// <summary>
    /// True for a storage call that could not reach the service, timed out, or got a 5xx after its retries: the Azure
    /// SDK reports each as <see cref="Azure.RequestFailedException"/> (status 0 for no answer), several tries as an
    /// <see cref="AggregateException"/> of them. Other HTTP failures (a webhook receiver, SMTP) are not storage's.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        Azure.RequestFailedException failed => failed.Status is 0 or >= 500,
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(IsUnavailable),
        _ => false,
    };

    /// <summary>The first line of the innermost message, without stack or request details.</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner.Message.Split('\n')[0].Trim();
    }
}
