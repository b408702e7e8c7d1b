using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Http.Api;

/// <summary>
/// Errors that are not a use case's outcome — a body that cannot be read, one over the size limit, a crash — as
/// problem+json, the same on both hosts. A crash answers 500 with a correlation id, never the exception itself.
/// </summary>
public static class ApiErrors
{
    /// <summary>The caller's <c>X-Correlation-Id</c>, else the W3C trace id, else the request id.</summary>
    public static string CorrelationId(HttpContext context) =>
        context.Request.Headers["X-Correlation-Id"].ToString() is { Length: > 0 and <= 128 } given ? given
        : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    /// <summary>The problem to answer for <paramref name="exception"/>, and whether it is the server's fault (to be logged as an error).</summary>
    public static (IResult Result, bool ServerFault) ProblemFor(Exception exception, HttpContext context)
    {
        switch (exception)
        {
            case InvalidRequestException invalid:
                return (Invalid(invalid.Field, invalid.Message), false);
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge:
                return (OutcomeResults.Problem(413, "Request too large", tooLarge.Message), false);
            case BadHttpRequestException { InnerException: JsonException json }:
                return (Invalid(JsonPaths.FieldOf(json.Path), $"Invalid JSON: {json.Message}"), false);
            case BadHttpRequestException bad:
                return (OutcomeResults.Problem(bad.StatusCode, "Bad request", bad.Message), false);
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                return (OutcomeResults.Problem(499, "Request aborted", "The client closed the request."), false);
            case var down when Application.StorageFaults.IsUnavailable(down):
                return (StorageUnavailable(down, context), true);
            default:
                var correlation = CorrelationId(context);
                return (OutcomeResults.Problem(500, "Internal error",
                    $"The server could not complete the request. Quote correlation id {correlation} when reporting it.",
                    new Dictionary<string, object?> { ["correlationId"] = correlation }), true);
        }
    }

    // Not the caller's fault nor a bug: storage does not answer now; Retry-After says when to try again.
    private static RetryAfter StorageUnavailable(Exception down, HttpContext context) =>
        new(OutcomeResults.Problem(503, "Storage unavailable",
            $"Storage did not answer ({Application.StorageFaults.Describe(down)}). Try again shortly; GET /readyz says when it answers again.",
            new Dictionary<string, object?> { ["correlationId"] = CorrelationId(context) }), Seconds: 5);

    private static IResult Invalid(string field, string message) =>
        OutcomeResults.Problem(Application.Failure.Invalid(field, message));

    /// <summary>Writes the problem for <paramref name="exception"/> if the response has not started.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        var (result, serverFault) = ProblemFor(exception, context);
        // The durable client's errors come through gRPC and no longer say why (the sidecar's storage call failed):
        // an unexpected failure while storage does not answer is storage's, and gets its 503, not a 500.
        if (serverFault && !Application.StorageFaults.IsUnavailable(exception) && !context.RequestAborted.IsCancellationRequested
            && context.RequestServices.GetService<Application.StorageHealthCheck>() is { } storage
            && (await storage.CheckHealthAsync(new HealthCheckContext(), context.RequestAborted)).Status == HealthStatus.Unhealthy)
            result = StorageUnavailable(exception, context);
        if (serverFault) logger.LogError(exception, "Unhandled error on {Method} {Path} (correlation id {CorrelationId})", context.Request.Method, context.Request.Path, CorrelationId(context));
        if (context.Response.HasStarted) return false;
        context.Response.Clear();
        await result.ExecuteAsync(context);
        return true;
    }
}

/// <summary>An answer with a <c>Retry-After</c> header (set when it is written, after the response was cleared).</summary>
public sealed record RetryAfter(IResult Inner, int Seconds) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Inner.ExecuteAsync(httpContext);
    }
}

/// <summary>The server's exception handler: every unhandled exception through <see cref="ApiErrors"/>.</summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        await ApiErrors.TryWriteAsync(httpContext, exception, logger);
}
