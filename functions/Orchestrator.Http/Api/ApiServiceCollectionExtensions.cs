using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Http.Application;
using Orchestrator.Http.Portal;
using ProductJson = Orchestrator.Workflows.Storage.Json;

namespace Orchestrator.Http.Api;

/// <summary>What the HTTP API needs in either host: its JSON conventions, problem details and the portal's files.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddOrchestratorApi(this IServiceCollection services)
    {
        // Results, bodies and the OpenAPI schemas all follow the product's one JSON convention.
        services.ConfigureHttpJsonOptions(o =>
        {
            var json = o.SerializerOptions;
            json.PropertyNamingPolicy = ProductJson.Options.PropertyNamingPolicy;
            json.PropertyNameCaseInsensitive = ProductJson.Options.PropertyNameCaseInsensitive;
            json.NumberHandling = ProductJson.Options.NumberHandling;
            json.DefaultIgnoreCondition = ProductJson.Options.DefaultIgnoreCondition;
            foreach (var converter in ProductJson.Options.Converters) json.Converters.Add(converter);
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("correlationId", ApiErrors.CorrelationId(context.HttpContext)));
        services.AddApplicationUseCases();
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section);
        services.AddSingleton<PortalFiles>();
        return services;
    }
}
