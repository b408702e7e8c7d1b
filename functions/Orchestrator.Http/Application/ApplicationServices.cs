using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Http.Application.Access;
using Orchestrator.Http.Application.Audit;
using Orchestrator.Http.Application.Lineage;
using Orchestrator.Http.Application.Approvals;
using Orchestrator.Http.Application.Models;
using Orchestrator.Http.Application.Monitoring;
using Orchestrator.Http.Application.Datasets;
using Orchestrator.Http.Application.Projects;
using Orchestrator.Http.Application.Runs;
using Orchestrator.Http.Application.Serving;
using Orchestrator.Http.Application.Webhooks;

namespace Orchestrator.Http.Application;

/// <summary>The use cases of the API, one application service per resource, registered for both hosts.</summary>
public static class ApplicationServices
{
    public static IServiceCollection AddApplicationUseCases(this IServiceCollection services)
    {
        services.AddSingleton<Security.DataRights>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<Lineage.LineageVisibility>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<ModelService>();
        services.AddSingleton<ModelExports>();
        services.AddSingleton<Batches.BatchService>();
        services.AddSingleton<ServingService>();
        services.AddSingleton<ShadowScoring>();
        services.AddSingleton<ModelComparison>();
        services.AddSingleton<MonitoringQueries>();
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<DatasetUploads>();
        services.AddSingleton<RunService>();
        services.AddSingleton<TrialQueries>();
        services.AddSingleton<ApprovalUseCases>();
        services.AddSingleton<AccessService>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<LineageQueries>();
        services.TryAddSingleton<SignIn.IDevelopmentTokenIssuer, SignIn.NoDevelopmentTokenIssuer>();
        services.AddSingleton<SignIn.DevelopmentSignIn>();
        return services;
    }
}
