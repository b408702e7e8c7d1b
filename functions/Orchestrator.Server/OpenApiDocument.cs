using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orchestrator.Http.Api;

namespace Orchestrator.Server;

/// <summary>
/// The API contract, OpenAPI 3.1, generated from the route table's endpoints (at build time into docs/openapi.json,
/// and served at <c>/openapi/v1.json</c>), with its reference page at <c>/api-docs/</c> (<see cref="Orchestrator.Http.Contract.ApiContractFiles"/>).
/// </summary>
public static class OpenApiDocument
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddOrchestratorOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Orchestrator API",
                    Version = "v1",
                    Description = "The machine-learning lifecycle over HTTP: datasets and their quality, training runs and trials, the SME's approval, " +
                        "the model registry and its environments, serving, monitoring, lineage, access and audit. Errors are application/problem+json.",
                };
                // Both hosts serve the paths the document describes.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A bearer token of the configured identity provider (Entra ID on Azure, where App Service authentication signs callers in; " +
                        "locally the development issuer: ./run.sh token --user … --role …).",
                };
                return Task.CompletedTask;
            });
            // A body that is one of several records (a version, or an upload still running) is written as that record
            // alone: no "$type" property ever appears, so the schema is anyOf without a discriminator.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (schema.Discriminator is { Mapping: null or { Count: 0 } }) schema.Discriminator = null;
                DescribeUntyped(schema, context.JsonTypeInfo.Type, context.JsonPropertyInfo);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var route = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiRoute>().FirstOrDefault();
                if (route is null) return Task.CompletedTask;
                if (route.Scope != AccessScope.Anonymous)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                }
                // A typed JSON answer that can also come as text (Mermaid): ApiExplorer keeps only one media type's schema per status.
                foreach (var (status, contentType) in route.OtherContent ?? new Dictionary<int, string>())
                {
                    if (operation.Responses?.GetValueOrDefault(status.ToString(CultureInfo.InvariantCulture)) is { Content: { } content } && !content.ContainsKey(contentType))
                        content[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// What the generator leaves as an empty schema: durations (a <see cref="TimeSpan"/> goes through
    /// <see cref="Orchestrator.Workflows.Storage.DurationConverter"/> as a string), a prediction's value (a class label or
    /// a number) and JSON the caller chose (a webhook's event, a predict row's values).
    /// </summary>
    private static void DescribeUntyped(OpenApiSchema schema, Type type, System.Text.Json.Serialization.Metadata.JsonPropertyInfo? property)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) type = underlying;
        if (type == typeof(TimeSpan))
        {
            schema.Type = property?.PropertyType == typeof(TimeSpan?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Description ??= "A duration: hh:mm:ss (hours may exceed 23, e.g. 72:00:00), d.hh:mm:ss or ISO 8601 (PT72H); at most 366 days.";
            schema.Examples = [System.Text.Json.Nodes.JsonValue.Create("72:00:00")];
        }
        else if (property is { Name: "value" } && property.DeclaringType == typeof(Orchestrator.Http.Application.Serving.PredictionView))
        {
            schema.Type = JsonSchemaType.String | JsonSchemaType.Number;
            schema.Description ??= "The predicted class label (classification) or value (regression).";
        }
        else if (type == typeof(System.Text.Json.JsonElement))
            schema.Description ??= "Any JSON value.";
    }
}
