using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Orchestrator.Http.Api;

/// <summary>Maps the route table onto an endpoint route builder (the self-hosted server), with what OpenAPI says of each route.</summary>
public static class ApiRouteBuilderExtensions
{
    /// <summary>One route group per resource; each endpoint carries its <see cref="ApiRoute"/> (read by the access gate).</summary>
    public static IEndpointRouteBuilder MapApiRoutes(this IEndpointRouteBuilder root)
    {
        foreach (var resource in ApiRoutes.Resources)
        {
            var group = root.MapGroup("").WithTags(resource.Tag);
            foreach (var route in ApiRoutes.All.Where(r => r.Tag == resource.Tag))
                group.MapMethods(route.ServerTemplate, [route.Method], route.Handler).WithApiRoute(route);
        }
        return root;
    }

    /// <summary>The route's name (operationId), summary, access rule and responses.</summary>
    public static RouteHandlerBuilder WithApiRoute(this RouteHandlerBuilder builder, ApiRoute route)
    {
        builder.WithName(route.Name).WithSummary(route.Summary).WithMetadata(route);
        if (route.Description is { } description) builder.WithDescription(description);
        var value = ValueTypeOf(route);
        foreach (var status in route.Success)
        {
            if (status == StatusCodes.Status204NoContent) builder.Produces(status);
#pragma warning disable CA2263 // the value type is the route's, known only at run time
            else builder.Produces(status, value, "application/json");
#pragma warning restore CA2263
        }
        foreach (var (status, contentType) in route.OtherContent ?? new Dictionary<int, string>())
        {
            // ApiExplorer keeps one response type per status, the last declared: a typed JSON 200 keeps its schema, and
            // the OpenAPI document adds this media type to it.
            if (status == StatusCodes.Status200OK && value is not null) continue;
            builder.Produces<string>(status, contentType);
        }
        if (route.Accepts is { Count: > 0 } accepts) builder.Accepts(route.Body ?? typeof(Stream), accepts[0], accepts.Skip(1).ToArray());
        if (!route.AnswersOk)
            // ApiResult<T> declares a JSON 200 for every typed route; this one never answers it.
            builder.Finally(endpoint =>
            {
                foreach (var ok in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(m => m.StatusCode == StatusCodes.Status200OK).ToList())
                    endpoint.Metadata.Remove(ok);
            });
        foreach (var status in ProblemsOf(route))
        {
            if (status == StatusCodes.Status400BadRequest) builder.ProducesValidationProblem();
            else builder.ProducesProblem(status);
        }
        return builder;
    }

    /// <summary>The problem codes a route answers: its own, 401/403 from its access rule, 500 from any route.</summary>
    public static IEnumerable<int> ProblemsOf(ApiRoute route)
    {
        var codes = new SortedSet<int>(route.Problems);
        // A body the route reads (JSON through JsonBody<T>, a form, a file) can be unreadable or over its limit.
        if (ReadsBody(route)) codes.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge]);
        if (route.Scope != AccessScope.Anonymous)
        {
            codes.Add(StatusCodes.Status401Unauthorized);
            if (route.Permission is not null) codes.Add(StatusCodes.Status403Forbidden);
        }
        codes.Add(StatusCodes.Status500InternalServerError);
        return codes;
    }

    /// <summary>True when the handler takes a JSON body (<see cref="JsonBody{T}"/>) or declares the media types it reads.</summary>
    public static bool ReadsBody(ApiRoute route) =>
        route.Accepts is { Count: > 0 } || route.Handler.Method.GetParameters().Any(p => IsGeneric(p.ParameterType, typeof(JsonBody<>)));

    /// <summary>
    /// The <c>T</c> of a handler returning <c>ApiResult&lt;T&gt;</c> (or a task of it, or a <c>Results&lt;…&gt;</c> of it and
    /// results in other media types); null for untyped results.
    /// </summary>
    public static Type? ValueTypeOf(ApiRoute route)
    {
        var type = route.Handler.Method.ReturnType;
        if (IsGeneric(type, typeof(Task<>))) type = type.GetGenericArguments()[0];
        if (IsGeneric(type, typeof(ApiResult<>))) return type.GetGenericArguments()[0];
        // A union of results (Results<ApiResult<T>, ContentHttpResult>): the JSON one's.
        return type.IsGenericType && typeof(IResult).IsAssignableFrom(type)
            ? type.GetGenericArguments().Where(t => IsGeneric(t, typeof(ApiResult<>))).Select(t => t.GetGenericArguments()[0]).FirstOrDefault()
            : null;
    }

    private static bool IsGeneric(Type type, Type definition) => type.IsGenericType && type.GetGenericTypeDefinition() == definition;
}
