using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions;

/// <summary>
/// Runs a route of the table (<see cref="ApiRoutes"/>) for the HTTP function of the same name: the route's own
/// handler, bound by ASP.NET Core's request delegate factory exactly as the self-hosted server binds it — route
/// values from the trigger's binding data, the trigger's durable client as the request's <see cref="DurableTaskClient"/>,
/// errors through <see cref="ApiErrors"/>.
/// </summary>
public sealed class ApiInvoker(IServiceProvider services, ILogger<ApiInvoker> logger)
{
    private readonly ConcurrentDictionary<string, RequestDelegate> _delegates = new();

    public Task<IActionResult> InvokeAsync(FunctionContext context, HttpRequest request, DurableTaskClient? client = null)
    {
        var route = ApiRoutes.Named(context.FunctionDefinition.Name)
            ?? throw new InvalidOperationException($"Function {context.FunctionDefinition.Name} has no route in the route table.");
        var data = context.BindingContext.BindingData;
        foreach (var name in ApiRoutes.ParametersOf(route.Route))
            if (data.TryGetValue(name, out var value) && value is not null) request.RouteValues[name] = value.ToString();
        if (client is not null) request.HttpContext.RequestServices = new DurableClientServices(request.HttpContext.RequestServices, client);
        var handler = _delegates.GetOrAdd(route.Name, _ => RequestDelegateFactory.Create(route.Handler, new RequestDelegateFactoryOptions
        {
            ServiceProvider = new DurableClientServices(services, null),
            RouteParameterNames = ApiRoutes.ParametersOf(route.Route),
            ThrowOnBadRequest = true,
        }).RequestDelegate);
        return Task.FromResult<IActionResult>(new RouteResult(handler, logger));
    }

    private sealed class RouteResult(RequestDelegate handler, ILogger logger) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            try
            {
                await handler(context.HttpContext);
            }
            catch (Exception e)
            {
                if (!await ApiErrors.TryWriteAsync(context.HttpContext, e, logger)) throw;
            }
        }
    }

    /// <summary>The app's services, plus the durable client of the trigger that carries it (Functions binds clients per trigger, not in DI).</summary>
    private sealed class DurableClientServices(IServiceProvider inner, DurableTaskClient? client) : IServiceProvider, IServiceProviderIsService
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(DurableTaskClient) ? client
            : serviceType == typeof(IServiceProviderIsService) ? this
            : inner.GetService(serviceType);

        public bool IsService(Type serviceType) =>
            serviceType == typeof(DurableTaskClient) || inner.GetService<IServiceProviderIsService>()?.IsService(serviceType) == true;
    }
}
