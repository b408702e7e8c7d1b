using Microsoft.DurableTask.Client;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Tests;

/// <summary>
/// The HTTP and timer triggers, read from the functions.metadata the Worker SDK generated for the Functions app,
/// against the route table both hosts bind to (<see cref="ApiRoutes"/>).
/// </summary>
public class FunctionsMetadataFileTests
{
    private static readonly IReadOnlyList<FunctionInfo> Functions = AppMetadata.FunctionsMetadataFile();

    public static TheoryData<string, string> ServerRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var r in AppMetadata.ServerRoutes()) data.Add(r.Method, r.Path);
        return data;
    }

    /// <summary>The API's HTTP functions: every HTTP trigger but the portal's static files.</summary>
    private static IEnumerable<FunctionInfo> HttpFunctions => Functions.Where(f => f.TriggerType == "httpTrigger" && !AccessMiddleware.PublicFiles.Contains(f.Name));

    private static string PublicPath(FunctionInfo f)
    {
        var prefix = AppMetadata.RoutePrefix().Trim('/');
        var route = (f.Get("route") ?? f.Name).TrimStart('/');
        return prefix.Length == 0 ? "/" + route : $"/{prefix}/{route}";
    }

    // The same path in both hosts: host.json's empty route prefix leaves the root to the portal and health.
    private static string ExpectedPath(ServerRoute r) => r.Path;

    [Theory]
    [MemberData(nameof(ServerRoutes))]
    public void ServerRoute_InFunctionsApp_HasHttpFunctionWithSameRouteAndMethod(string method, string path)
    {
        var route = new ServerRoute(method, path);
        var matches = HttpFunctions.Where(f => PublicPath(f) == ExpectedPath(route) && f.Methods.Contains(route.Method)).ToList();
        Assert.True(matches.Count == 1, $"{route}: expected one HTTP function for {route.Method.ToUpperInvariant()} {ExpectedPath(route)}, found {matches.Count}. " +
            $"Functions: {string.Join("; ", HttpFunctions.Select(f => $"{f.Name} {string.Join(",", f.Methods)} {PublicPath(f)}"))}");
    }

    /// <summary>
    /// The host lets every request through to the worker (App Service authentication signs callers in); the access
    /// middleware then applies the function's declared rule — the same rule the server applies to the same route.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServerRoutes))]
    public void ServerRoute_InFunctionsApp_IsAnonymousToTheHostAndHasTheServersAccessRule(string method, string path)
    {
        var route = new ServerRoute(method, path);
        var function = Assert.Single(HttpFunctions, f => PublicPath(f) == ExpectedPath(route) && f.Methods.Contains(route.Method));
        Assert.Equal("Anonymous", function.Get("authLevel"));
        var rule = ApiRoutes.Named(function.Name);
        Assert.True(rule is not null, $"Function {function.Name} has no route in the route table.");
        Assert.Equal((route.Method.ToUpperInvariant(), route.Path), (rule.Method, rule.ServerTemplate));
        Assert.Same(rule, Assert.Single(ApiRoutes.All, r => string.Equals(r.Method, route.Method, StringComparison.OrdinalIgnoreCase) && r.ServerTemplate == route.Path));
    }

    [Fact]
    public void RouteTable_Routes_AreExactlyTheHttpFunctions()
    {
        Assert.Equal(HttpFunctions.Select(f => f.Name).Order(StringComparer.Ordinal), ApiRoutes.All.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void HttpFunctions_MethodsAndRoutes_AreExactlyTheServerRoutes()
    {
        var server = AppMetadata.ServerRoutes();
        Assert.Equal(server.Count, server.Distinct().Count()); // no route declared twice
        var expected = server.Select(r => $"{r.Method} {ExpectedPath(r)}").Order(StringComparer.Ordinal);
        var actual = HttpFunctions.SelectMany(f => f.Methods.Select(m => $"{m} {PublicPath(f)}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    /// <summary>A handler that takes a durable client gets the trigger's (Functions binds clients per trigger, not in DI).</summary>
    [Theory]
    [MemberData(nameof(ServerRoutes))]
    public void ServerRoute_InFunctionsApp_HasDurableClientBindingExactlyWhenItsHandlerTakesOne(string method, string path)
    {
        var route = new ServerRoute(method, path);
        var function = Assert.Single(HttpFunctions, f => PublicPath(f) == ExpectedPath(route) && f.Methods.Contains(route.Method));
        var takesClient = ApiRoutes.Named(function.Name)!.Handler.Method.GetParameters().Any(p => p.ParameterType == typeof(DurableTaskClient));
        Assert.Equal(takesClient, function.Bindings.Any(b => b.GetProperty("type").GetString() == "durableClient"));
    }

    [Fact]
    public void Portal_Metadata_IsOneAnonymousTriggerOfEveryMethodAtEveryPath()
    {
        var portal = Assert.Single(Functions, f => f.Name == Triggers.PortalFunctions.Name);
        Assert.Equal("httpTrigger", portal.TriggerType);
        Assert.Equal("{*path}", portal.Get("route"));
        // GET and HEAD for the files; the other methods so that unmatched API calls answer problem+json (404, 405).
        Assert.Equal(["delete", "get", "head", "patch", "post", "put"], portal.Methods.Order(StringComparer.Ordinal));
        Assert.Equal("anonymous", portal.Get("authLevel")?.ToLowerInvariant());
        // The API's triggers sit under api/ because the host's prefix is empty: the root is the portal's.
        Assert.Equal("", AppMetadata.RoutePrefix());
    }

    [Fact]
    public void RetrainingTimer_Metadata_HasTimerTriggerOnRetrainingScheduleSetting()
    {
        var timer = Assert.Single(Functions, f => f.Name == "RetrainingTimer");
        Assert.Equal("timerTrigger", timer.TriggerType);
        Assert.Equal("%Retraining:Schedule%", timer.Get("schedule"));
        Assert.Contains(timer.Bindings, b => b.GetProperty("type").GetString() == "durableClient");
    }

    [Fact]
    public void WebhookDispatchTimer_Metadata_HasTimerTriggerWithDurableClient()
    {
        var timer = Assert.Single(Functions, f => f.Name == "WebhookDispatchTimer");
        Assert.Equal("timerTrigger", timer.TriggerType);
        Assert.Equal(Orchestrator.Functions.TimerFunctions.WebhookDispatchSchedule, timer.Get("schedule"));
        Assert.Contains(timer.Bindings, b => b.GetProperty("type").GetString() == "durableClient");
    }
}
