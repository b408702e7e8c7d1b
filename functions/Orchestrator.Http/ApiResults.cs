using Microsoft.AspNetCore.Http;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using ProductJson = Orchestrator.Workflows.Storage.Json;

namespace Orchestrator.Http;

/// <summary>Results every route uses: JSON in the product's conventions, and problem+json errors.</summary>
internal static class ApiResults
{
    public static IResult Json(object value, int status = 200) => Results.Json(value, ProductJson.Options, statusCode: status);

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    public static IResult Invalid(Dictionary<string, string[]> errors, string detail = "The request has invalid fields.") =>
        Results.ValidationProblem(errors, detail: detail, title: "Invalid request");

    public static IResult? CheckName(string? value, string field) =>
        Names.IsValidName(value) ? null : Invalid(new() { [field] = [$"'{value}' is not a valid name: lower-case letters, digits and hyphens, 2-63 characters."] });

    /// <summary>The signed-in caller's id (recorded as requestedBy / by / ingestedBy), or null on anonymous routes.</summary>
    public static string? CallerId(HttpRequest request) => Security.AccessGate.Current(request.HttpContext)?.Caller.Id;

    public static IResult ProjectNotFound(string project) => Problem(404, "Project not found", $"Project '{project}' does not exist; create it with PUT /api/projects/{project}.");
}

internal static class ResultExtensions
{
    /// <summary>Adds a Location header to a result.</summary>
    public static IResult WithLocation(this IResult result, string location) => new LocatedResult(result, location);

    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
