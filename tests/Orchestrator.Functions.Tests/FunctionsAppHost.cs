using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Core;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Functions;

namespace Orchestrator.Functions.Tests;

/// <summary>
/// Builds the Functions app's host in-process the way the worker does, without starting it (no Functions host here).
/// The worker runs two kinds of source-generated startup code that it finds on <c>Assembly.GetEntryAssembly()</c>;
/// under the test runner the entry assembly is testhost, so they are run here against the Functions assembly:
/// <list type="bullet">
/// <item>the extension startup executor named by <see cref="WorkerExtensionStartupCodeExecutorInfoAttribute"/>
/// (runs <c>DurableTaskExtensionStartup</c>, which registers the Durable metadata transformer), and</item>
/// <item>every <see cref="IAutoConfigureStartup"/> (registers the generated <see cref="IFunctionMetadataProvider"/>
/// and function executor).</item>
/// </list>
/// </summary>
internal static class FunctionsAppHost
{
    public static Assembly AppAssembly => typeof(FunctionsApp).Assembly;

    public static IHost Build()
    {
        var builder = FunctionsApp.CreateBuilder([]);

        foreach (var info in AppAssembly.GetCustomAttributes<WorkerExtensionStartupCodeExecutorInfoAttribute>())
            ((WorkerExtensionStartup)Activator.CreateInstance(info.StartupCodeExecutorType)!).Configure(builder);

        var hostBuilder = new ServicesOnlyHostBuilder(builder.Services, builder.Configuration, builder.Environment);
        foreach (var type in AppAssembly.GetTypes().Where(t => typeof(IAutoConfigureStartup).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract))
            ((IAutoConfigureStartup)Activator.CreateInstance(type)!).Configure(hostBuilder);

        return builder.Build();
    }

    /// <summary>All function metadata the worker would send to the Functions host: provider output plus every transformer.</summary>
    public static async Task<IReadOnlyList<IFunctionMetadata>> GetFunctionMetadataAsync()
    {
        using var host = Build();
        var manager = host.Services.GetRequiredService<IFunctionMetadataManager>();
        return await manager.GetFunctionMetadataAsync(AppContext.BaseDirectory);
    }

    /// <summary>An <see cref="IHostBuilder"/> that applies <c>ConfigureServices</c> callbacks to an existing collection (all the generated startups use).</summary>
    private sealed class ServicesOnlyHostBuilder(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) : IHostBuilder
    {
        public IDictionary<object, object> Properties { get; } = new Dictionary<object, object>();

        public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate)
        {
            configureDelegate(new HostBuilderContext(Properties) { Configuration = configuration, HostingEnvironment = environment }, services);
            return this;
        }

        public IHost Build() => throw new NotSupportedException();
        public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, IConfigurationBuilder> configureDelegate) => throw new NotSupportedException();
        public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) => throw new NotSupportedException();
        public IHostBuilder ConfigureHostConfiguration(Action<IConfigurationBuilder> configureDelegate) => throw new NotSupportedException();
        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory) where TContainerBuilder : notnull => throw new NotSupportedException();
        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory) where TContainerBuilder : notnull => throw new NotSupportedException();
    }
}
