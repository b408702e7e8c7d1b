using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Portal;

namespace Orchestrator.Functions.Tests;

/// <summary>
/// The portal's files as both hosts serve them (the Functions app's trigger and the server's middleware call the same
/// <see cref="PortalFiles"/>), against a folder laid out as the portal's build lays it out.
/// </summary>
public sealed class PortalFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "portal-" + Guid.NewGuid().ToString("N"));
    private readonly PortalFiles _portal;

    public PortalFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "assets"));
        File.WriteAllText(Path.Combine(_root, "index.html"), "<!doctype html><title>portal</title>");
        File.WriteAllText(Path.Combine(_root, "assets", "main-ABC123.js"), "export {};");
        File.WriteAllText(Path.Combine(_root, ".env"), "SECRET=1");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "outside-portal.txt"), "outside");
        _portal = new PortalFiles(Options.Create(new PortalOptions { Root = _root }));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (IResult Result, IHeaderDictionary Headers) Serve(string? path)
    {
        var context = Get();
        return (_portal.Serve(context, path), context.Response.Headers);
    }

    private static DefaultHttpContext Get() => new() { Request = { Method = HttpMethods.Get } };

    private static int StatusOf(IResult result) => Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode ?? 200;

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("runs/run-1")]
    [InlineData("catalog/weather/seattle")]
    public void Serve_RootOrClientRoute_AnswersIndexUncachedUnderStrictPolicy(string path)
    {
        var (result, headers) = Serve(path);
        var file = Assert.IsType<PhysicalFileHttpResult>(result);
        Assert.Equal(Path.Combine(_root, "index.html"), file.FileName);
        Assert.StartsWith("text/html", file.ContentType);
        Assert.Equal("no-cache", headers.CacheControl.ToString());
        Assert.Contains("default-src 'self'", headers.ContentSecurityPolicy.ToString());
        Assert.DoesNotContain("unsafe-inline", headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public void Serve_HashedAsset_AnswersItCachedForAYear()
    {
        var (result, headers) = Serve("assets/main-ABC123.js");
        var file = Assert.IsType<PhysicalFileHttpResult>(result);
        Assert.Equal(Path.Combine(_root, "assets", "main-ABC123.js"), file.FileName);
        Assert.Contains("javascript", file.ContentType);
        Assert.Contains("immutable", headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData("assets/missing-XYZ.js")]
    [InlineData("../outside-portal.txt")]
    [InlineData("assets/../../outside-portal.txt")]
    [InlineData(".env")]
    [InlineData("assets/..\\..\\outside-portal.txt")]
    [InlineData("c:/windows/win.ini")]
    [InlineData("assets//main-ABC123.js")]
    public void Serve_MissingAssetOrUnsafeSegment_Answers404WithoutTheFile(string path)
    {
        var (result, _) = Serve(path);
        Assert.IsNotType<PhysicalFileHttpResult>(result);
        Assert.Equal(404, StatusOf(result));
    }

    [Theory]
    [InlineData("api")]
    [InlineData("api/no-such-route")]
    [InlineData("API/runs")]
    public void Serve_ApiPath_AnswersTheApis404NotTheIndex(string path)
    {
        var (result, _) = Serve(path);
        Assert.Equal(404, StatusOf(result));
    }

    [Theory]
    [InlineData("GET", "api/runs/run-1/rerun", "POST")]
    [InlineData("DELETE", "api/runs/run-1", "GET")]
    [InlineData("POST", "api/trials/run-1.t1", "GET")]
    public void Serve_ApiPathWithAnotherMethod_Answers405WithTheAllowedMethods(string method, string path, string allowed)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var result = _portal.Serve(context, path);
        Assert.Equal(405, StatusOf(result));
        Assert.Equal(allowed, context.Response.Headers.Allow.ToString());
    }

    [Theory]
    [InlineData("POST", "")]
    [InlineData("PUT", "catalog/weather")]
    [InlineData("DELETE", "assets/main-ABC123.js")]
    public void Serve_PortalPathWithAnotherMethodThanGet_Answers404AsTheServerDoes(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        Assert.Equal(404, StatusOf(_portal.Serve(context, path)));
    }

    public static TheoryData<string> RouteNames() => new(Orchestrator.Http.Api.ApiRoutes.All.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void MethodsAt_EveryRoutesPath_IncludesItsMethod(string name)
    {
        var route = Orchestrator.Http.Api.ApiRoutes.Named(name)!;
        var path = System.Text.RegularExpressions.Regex.Replace(route.ServerTemplate, @"\{\*?(\w+)(:int)?\}", m => m.Groups[2].Success ? "1" : "x" + m.Groups[1].Value);
        Assert.Contains(route.Method, Orchestrator.Http.Api.ApiRoutes.MethodsAt(path));
    }

    [Fact]
    public void Serve_PortalNotBuilt_Answers503SayingHowToBuildIt()
    {
        var portal = new PortalFiles(Options.Create(new PortalOptions { Root = Path.Combine(_root, "missing") }));
        var result = portal.Serve(Get(), "");
        Assert.Equal(503, StatusOf(result));
    }
}
