using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Orchestrator.Http.Application;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>The one place outcomes of use cases become HTTP: status codes, problem+json, the Location header.</summary>
public static class OutcomeResults
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The status code of each kind of outcome.</summary>
    public static int StatusOf(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Ok => StatusCodes.Status200OK,
        OutcomeKind.Created => StatusCodes.Status201Created,
        OutcomeKind.Accepted => StatusCodes.Status202Accepted,
        OutcomeKind.NoContent => StatusCodes.Status204NoContent,
        OutcomeKind.Invalid => StatusCodes.Status400BadRequest,
        OutcomeKind.Forbidden => StatusCodes.Status403Forbidden,
        OutcomeKind.NotFound => StatusCodes.Status404NotFound,
        OutcomeKind.Conflict => StatusCodes.Status409Conflict,
        OutcomeKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        OutcomeKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        OutcomeKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        OutcomeKind.Upstream => StatusCodes.Status502BadGateway,
        OutcomeKind.Failed => StatusCodes.Status500InternalServerError,
        OutcomeKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new UnreachableException($"Outcome {kind} has no status code."),
    };

    /// <summary>A failure as problem+json: title, detail, status, <c>errors</c> by field when there are some, and its extensions.</summary>
    public static IResult Problem(Failure failure)
    {
        var extensions = new Dictionary<string, object?>(failure.Extensions ?? new Dictionary<string, object?>());
        if (failure.Errors is { Count: > 0 } errors) extensions["errors"] = errors;
        return TypedResults.Problem(detail: failure.Detail, statusCode: StatusOf(failure.Kind), title: failure.Title, extensions: extensions);
    }

    /// <summary>A problem answer from a status, title and detail (for the hosts' own errors: unknown route, bad JSON, crashes).</summary>
    public static IResult Problem(int status, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>Wraps an outcome as the HTTP result of a route.</summary>
    public static ApiResult<T> ToApi<T>(this Outcome<T> outcome) => new(outcome);

    /// <summary>Awaits an outcome and wraps it.</summary>
    public static async Task<ApiResult<T>> ToApi<T>(this Task<Outcome<T>> outcome) => new(await outcome);

    /// <summary>
    /// Awaits an outcome and wraps it, answered by <paramref name="render"/> when that gives a result (a page for a
    /// browser's form post) and as JSON or problem+json otherwise.
    /// </summary>
    public static async Task<ApiResult<T>> ToApi<T>(this Task<Outcome<T>> outcome, Func<Outcome<T>, IResult?> render) => new(await outcome, render);
}

/// <summary>
/// The HTTP result of a route: the outcome's value as JSON with its status code (and Location), or its failure as
/// problem+json. It tells OpenAPI the 200 response's schema; routes declare their other success and problem codes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "PopulateMetadata is the static member IEndpointMetadataProvider requires.")]
public sealed class ApiResult<T>(Outcome<T> outcome, Func<Outcome<T>, IResult?>? render = null) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult
{
    public Outcome<T> Outcome { get; } = outcome;

    public int? StatusCode => OutcomeResults.StatusOf(Outcome.Kind);

    public object? Value => Outcome.Value;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (Outcome.AuditDetail is { } detail) AccessGate.SetAuditDetail(httpContext, detail);
        if (Outcome.AuditActor is { } actor) AccessGate.SetAuditActor(httpContext, actor);
        if (Outcome.Location is { } location) httpContext.Response.Headers.Location = location;
        if (render?.Invoke(Outcome) is { } rendered) return rendered.ExecuteAsync(httpContext);
        if (Outcome.Failure is { } failure) return OutcomeResults.Problem(failure).ExecuteAsync(httpContext);
        if (Outcome.Kind == OutcomeKind.NoContent) return TypedResults.NoContent().ExecuteAsync(httpContext);
        return TypedResults.Json(Outcome.Value, statusCode: StatusCode).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        if (typeof(T) != typeof(NoBody))
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
    }
}

/// <summary>The value type of routes that answer 204 with no body.</summary>
public sealed record NoBody;
