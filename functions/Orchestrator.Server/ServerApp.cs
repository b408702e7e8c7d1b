using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Http;
using Orchestrator.Http.Api;
using Orchestrator.Workflows;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Server;

/// <summary>Builds and starts the self-hosted server; used by <c>Program</c> and by the end-to-end tests.</summary>
public static class ServerApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        // host.json first, so settings, environment variables and arguments can override it.
        var hostJson = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "host.json"), Optional = true };
        hostJson.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, hostJson);
        configure?.Invoke(builder);

        var server = builder.Configuration.GetSection("Server").Get<ServerSettings>() ?? new ServerSettings();
        var durable = builder.Configuration.GetSection(DurableTaskSettings.Section).Get<DurableTaskSettings>() ?? new DurableTaskSettings();
        var sidecarPort = server.SidecarPort > 0 ? server.SidecarPort : FreeLoopbackPort();
        var sidecarAddress = $"http://127.0.0.1:{sidecarPort}";
        ReserveThreads(durable);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var uri = new Uri(url);
                var address = uri.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host);
                kestrel.Listen(address, uri.Port);
            }
            // Plain-text gRPC needs an HTTP/2-only endpoint; loopback only: the sidecar is not a public interface.
            kestrel.Listen(IPAddress.Loopback, sidecarPort, listen => listen.Protocols = HttpProtocols.Http2);
            // Uploads enforce Uploads:MaxBytes themselves while streaming (a problem+json 413, the partial blob removed);
            // Kestrel's own limit sits just above it, as a backstop for every other route.
            kestrel.Limits.MaxRequestBodySize = (builder.Configuration.GetValue<long?>("Uploads:MaxBytes") ?? 256L * 1024 * 1024) + 1024 * 1024;
        });
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning).AddFilter("Microsoft.DurableTask", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddApplicationServices(durable, server, sidecarAddress);
        builder.Services.AddOrchestratorAuthentication(builder.Configuration);
        builder.Services.AddOrchestratorApi().AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddOrchestratorOpenApi();
        var app = builder.Build();
        // Stop the worker while the sidecar still listens, so in-flight work items complete or are abandoned cleanly
        // instead of retrying against a closed port during shutdown.
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var worker in app.Services.GetServices<IHostedService>().OfType<Microsoft.DurableTask.Worker.Hosting.DurableTaskWorker>())
            {
                try { worker.StopAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)); }
                catch (AggregateException e) { app.Logger.LogWarning(e, "The durable worker did not stop cleanly"); }
            }
        });
        app.MapGrpcService<TaskHubGrpcServer>().RequireHost($"*:{sidecarPort}");
        app.UseOrchestratorApi();
        return app;
    }

    /// <summary>Everything this host needs: the shared services, the sidecar and its backend, the worker, the client, the timer.</summary>
    public static IServiceCollection AddApplicationServices(this IServiceCollection services, DurableTaskSettings durable, ServerSettings server, string sidecarAddress)
    {
        services.AddOrchestratorCore();
        // Without this, gRPC's catch-all for unknown services ({service}/{method}, POST) answers any two-segment POST on
        // the API's port — POST /api/audit got 404 instead of 405.
        services.AddGrpc(grpc => grpc.IgnoreUnknownServices = true);
        services.AddSingleton(sp => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString),
            TaskHubName = durable.HubName,
            WorkerId = server.WorkerId,
            LeaseInterval = server.PartitionLeaseInterval,
            LeaseRenewInterval = server.PartitionLeaseInterval / 3,
            LeaseAcquireInterval = server.PartitionLeaseInterval / 3,
            PartitionCount = durable.StorageProvider.PartitionCount,
            MaxQueuePollingInterval = durable.StorageProvider.MaxQueuePollingInterval,
            ControlQueueBatchSize = durable.StorageProvider.ControlQueueBatchSize,
            ControlQueueBufferThreshold = durable.StorageProvider.ControlQueueBufferThreshold,
            // The server's own (short) timeouts: it renews running activities itself, the Functions host keeps host.json's.
            WorkItemQueueVisibilityTimeout = server.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = server.ControlQueueVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = durable.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = durable.MaxConcurrentOrchestratorFunctions,
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        }));
        services.AddSingleton(sp =>
        {
            var keeper = new ActivityLockKeeper(server.WorkItemVisibilityTimeout / 3, sp.GetRequiredService<TimeProvider>());
            // The sidecar does not stop its backend when the application stops: a stopping server stops renewing here,
            // so the activities it still held come back to another server after the visibility timeout.
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(keeper.StopAll);
            return keeper;
        });
        services.AddSingleton<IOrchestrationService>(sp => new SidecarOrchestrationService(sp.GetRequiredService<AzureStorageOrchestrationService>(),
            sp.GetRequiredService<ActivityLockKeeper>()));
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.AddSingleton<TaskHubGrpcServer>();

        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(sidecarAddress);
            worker.AddTasks(registry => registry.AddWorkflows());
            worker.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentActivityWorkItems = durable.MaxConcurrentActivityFunctions;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = durable.MaxConcurrentOrchestratorFunctions;
            });
        });
        services.AddDurableTaskClient(client => client.UseGrpc(sidecarAddress));
        services.AddSingleton(sp => new TimerTickClaims(sp.GetRequiredService<Azure.Data.Tables.TableServiceClient>(), server.WorkerId));
        services.AddHostedService<RetrainingTimer>();
        services.AddHostedService<WebhookDispatchLoop>();
        return services;
    }

    /// <summary>Creates the task hub (queues, tables, containers) and starts the server.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken ct = default)
    {
        await app.Services.GetRequiredService<AzureStorageOrchestrationService>().CreateIfNotExistsAsync();
        await app.StartAsync(ct);
    }

    /// <summary>
    /// Activities (ingestion, trials) run synchronous CPU-bound work on thread-pool threads. With the pool's minimum at
    /// the core count, a wave of them held every thread, and requests — predict among them — waited for the pool to add
    /// threads (about two a second): on 2 cores, predict's p99 was 1.4–3.9 s whenever lifecycles started
    /// (<c>bench/load.mjs --lifecycles 3 --rate 50</c>). The minimum covers the concurrent activities twice (an activity may
    /// wait on work of its own on the pool), the orchestrations, and four a core for requests: 32 on 2 cores, where that p99
    /// fell to 0.04–0.12 s.
    /// </summary>
    private static void ReserveThreads(DurableTaskSettings durable)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = 2 * durable.MaxConcurrentActivityFunctions + durable.MaxConcurrentOrchestratorFunctions + 4 * Environment.ProcessorCount;
        if (wanted > workers) ThreadPool.SetMinThreads(wanted, io);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
