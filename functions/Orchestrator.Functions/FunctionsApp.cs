using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Http;
using Orchestrator.Http.Api;
using Orchestrator.Workflows;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Functions;

/// <summary>How the Functions app is put together; <c>Program</c> and the tests build it the same way.</summary>
public static class FunctionsApp
{
    private const string StorageSetting = Orchestrator.Http.ServiceCollectionExtensions.StorageSetting;

    /// <summary>The app's builder: ASP.NET Core HTTP integration plus <see cref="AddApplicationServices"/>.</summary>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        // Every HTTP function passes the access gate first (the same one the self-hosted server uses).
        builder.UseMiddleware<AccessMiddleware>();
        builder.AddApplicationServices();
        return builder;
    }

    /// <summary>
    /// Everything this host registers: the lifecycle's orchestrators and activities on the Durable worker (the
    /// extension turns each into an orchestration/activity trigger function) and the shared services and API.
    /// </summary>
    public static FunctionsApplicationBuilder AddApplicationServices(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureDurableWorker().AddTasks(registry => registry.AddWorkflows());
        builder.Services.AddOrchestratorCore();
        builder.Services.AddOrchestratorApi();
        builder.Services.AddSingleton<ApiInvoker>();
        AddIdentityBasedStorage(builder.Services, builder.Configuration);
        return builder;
    }

    /// <summary>
    /// With identity-based storage (<c>AzureWebJobsStorage__accountName</c> and no connection string), the app's own
    /// blob and table clients use the same account with the app's identity instead of a connection string.
    /// </summary>
    private static void AddIdentityBasedStorage(IServiceCollection services, ConfigurationManager config)
    {
        if (!string.IsNullOrWhiteSpace(config[StorageSetting])) return;
        var section = config.GetSection(StorageSetting);
        var account = section["accountName"];
        var blobUri = section["blobServiceUri"] ?? (account is null ? null : $"https://{account}.blob.core.windows.net");
        var tableUri = section["tableServiceUri"] ?? (account is null ? null : $"https://{account}.table.core.windows.net");
        if (blobUri is null || tableUri is null) return;
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] });
        // Registered after AddOrchestratorCore: the last registration is the one resolved.
        services.AddSingleton(sp => new BlobServiceClient(new Uri(blobUri), credential, sp.GetRequiredService<IOptions<StorageOptions>>().Value.Apply(new BlobClientOptions())));
        services.AddSingleton(sp => new TableServiceClient(new Uri(tableUri), credential, sp.GetRequiredService<IOptions<StorageOptions>>().Value.Apply(new TableClientOptions())));
    }
}
