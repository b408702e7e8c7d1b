using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Application.Runs;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Lineage;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Registry;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Http;

/// <summary>Registration shared by both hosts: settings, storage clients, domain services, the API.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Name of the storage setting, as in Azure Functions.</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    public static IServiceCollection AddOrchestratorCore(this IServiceCollection services)
    {
        // Storage:MaxRetries, RetryDelay, NetworkTimeout; the connection string is AzureWebJobsStorage, as both hosts name it.
        services.AddOptions<StorageOptions>().BindConfiguration("Storage").Configure<IConfiguration>((o, config) =>
        {
            var value = config[StorageSetting];
            if (!string.IsNullOrWhiteSpace(value)) o.ConnectionString = value;
        });
        services.AddOptions<ApprovalOptions>().BindConfiguration("Approvals");
        services.AddOptions<EmailOptions>().BindConfiguration("Email");
        services.AddOptions<RetrainingOptions>().BindConfiguration("Retraining");
        services.AddOptions<UploadOptions>().BindConfiguration("Uploads");
        services.AddOptions<Application.Serving.ServingOptions>().BindConfiguration("Serving");
        services.AddOptions<Application.Monitoring.MonitoringWindowOptions>().BindConfiguration("Monitoring");
        services.AddOptions<IngestionOptions>().BindConfiguration("Ingestion");
        services.AddOptions<LineageOptions>().BindConfiguration("Lineage");

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new BlobServiceClient(storage.ConnectionString, storage.Apply(new BlobClientOptions()));
        });
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new TableServiceClient(storage.ConnectionString, storage.Apply(new TableClientOptions()));
        });
        services.AddSingleton<Application.StorageHealthCheck>();
        services.AddHealthChecks().AddCheck<Application.StorageHealthCheck>("storage");
        services.AddSingleton<LakeStore>();
        services.AddSingleton<MetadataTables>();
        services.AddSingleton<ProjectStore>();
        services.AddSingleton<DatasetStore>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<TrialStore>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<DeploymentStore>();
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<LineageStore>();
        services.AddSingleton<DatasetIngestion>();
        services.AddSingleton<ModelInputCache>();
        services.AddSingleton<TrialRunner>();
        services.AddSingleton<ChampionEvaluator>();
        services.AddSingleton<FoldRunner>();
        services.AddSingleton<ModelCardBuilder>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<SmokeTester>();
        services.AddSingleton<ApprovalTokens>();
        services.AddSingleton<ApprovalMailer>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<BatchScorer>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<RetrainingScheduler>();
        services.AddSingleton<ProductionModels>();
        services.AddSingleton<PredictionLog>();
        services.AddOptions<PredictionLogOptions>().BindConfiguration("PredictionLog");
        services.AddSingleton<MonitoringService>();
        services.AddOptions<AuthOptions>().BindConfiguration("Auth");
        services.AddSingleton<AccessStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AccessGate>();
        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks");
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        return services;
    }
}

/// <summary>Scheduled retraining settings (section <c>Retraining</c>).</summary>
public sealed class RetrainingOptions
{
    /// <summary>NCRONTAB (with seconds) of the timer that looks for projects due for retraining. Hourly by default.</summary>
    public string Schedule { get; set; } = "0 0 * * * *";
}

/// <summary>Upload settings (section <c>Uploads</c>).</summary>
public sealed class UploadOptions
{
    /// <summary>Largest accepted upload; 256 MiB by default.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long an upload waits for its ingestion to finish before answering 202 (seconds; 30 by default).</summary>
    public double WaitSeconds { get; set; } = 30;
}
