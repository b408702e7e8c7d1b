using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Http.Contract;

namespace Orchestrator.Functions.Tests;

/// <summary>
/// The API contract as the Functions app serves it (the server maps the same reference page; its document is generated
/// at run time and checked in the server's tests): the committed document copied into the app's output, the reference
/// page and Scalar's scripts from its package, and the triggers that carry them.
/// </summary>
public class ApiContractFilesTests
{
    private static readonly IReadOnlyList<FunctionInfo> Functions = AppMetadata.FunctionsMetadataFile();

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException("The repository root is not above the test's output.");
    }

    /// <summary>Runs a result against a real response body, as the host does.</summary>
    private static async Task<(int Status, IHeaderDictionary Headers, byte[] Body)> ExecuteAsync(IResult result, HttpContext context)
    {
        context.RequestServices = new ServiceCollection().AddLogging().AddSingleton(typeof(ILogger<>), typeof(Logger<>)).BuildServiceProvider();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.Headers, body.ToArray());
    }

    private static DefaultHttpContext Request(string path, string? acceptEncoding = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        if (acceptEncoding is not null) context.Request.Headers.AcceptEncoding = acceptEncoding;
        return context;
    }

    [Fact]
    public void ContractTriggers_Metadata_AreAnonymousGetsAtTheServersPaths()
    {
        var document = Assert.Single(Functions, f => f.Name == Triggers.ContractFunctions.DocumentName);
        Assert.Equal(("httpTrigger", "openapi/v1.json", "anonymous"), (document.TriggerType, document.Get("route"), document.Get("authLevel")?.ToLowerInvariant()));
        Assert.Equal(["get"], document.Methods);
        var reference = Assert.Single(Functions, f => f.Name == Triggers.ContractFunctions.ReferenceName);
        Assert.Equal(("httpTrigger", "api-docs/{*asset}", "anonymous"), (reference.TriggerType, reference.Get("route"), reference.Get("authLevel")?.ToLowerInvariant()));
        Assert.Equal(["get"], reference.Methods);
    }

    [Fact]
    public async Task Document_InTheAppsOutput_IsTheCommittedDocument()
    {
        var result = ApiContractFiles.Document(Request("/openapi/v1.json"));
        var file = Assert.IsType<PhysicalFileHttpResult>(result);
        Assert.StartsWith("application/json", file.ContentType);
        var served = JsonNode.Parse(await File.ReadAllTextAsync(file.FileName));
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFile(Path.Combine("docs", "openapi.json"))));
        Assert.True(JsonNode.DeepEquals(served, committed), "The Functions app's openapi/v1.json differs from docs/openapi.json.");
    }

    [Fact]
    public async Task Reference_WithoutTrailingSlash_RedirectsToTheFolder()
    {
        var (status, headers, _) = await ExecuteAsync(ApiContractFiles.Reference(Request("/api-docs"), null), Request("/api-docs"));
        Assert.Equal(StatusCodes.Status302Found, status);
        Assert.Equal("/api-docs/", headers.Location.ToString());
    }

    [Fact]
    public async Task Reference_Page_LoadsOnlyItsOwnScriptsUnderAPolicyWithoutInlineScript()
    {
        var context = Request("/api-docs/");
        var (status, headers, body) = await ExecuteAsync(ApiContractFiles.Reference(context, ""), context);
        Assert.Equal(200, status);
        var html = System.Text.Encoding.UTF8.GetString(body);
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, @"<script[^>]*src=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["scalar.js", "reference.js"], scripts);
        var inline = System.Text.RegularExpressions.Regex.Matches(html, @"<script[^>]*>(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.Equal(2, inline.Count);
        Assert.All(inline, m => Assert.True(string.IsNullOrWhiteSpace(m.Groups[1].Value), "inline script: " + m.Groups[1].Value));
        var policy = headers.ContentSecurityPolicy.ToString();
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("http", policy);
    }

    [Fact]
    public async Task Reference_StartScript_PointsAtTheDocumentWithoutScalarsHostedExtras()
    {
        var context = Request("/api-docs/reference.js");
        var (status, _, body) = await ExecuteAsync(ApiContractFiles.Reference(context, "reference.js"), context);
        Assert.Equal(200, status);
        var script = System.Text.Encoding.UTF8.GetString(body);
        Assert.Contains("from './scalar.aspnetcore.js'", script);
        Assert.Contains("\"url\":\"openapi/v1.json\"", script);
        Assert.Contains("\"withDefaultFonts\":false", script);
        Assert.Contains("\"showDeveloperTools\":\"never\"", script);
        Assert.Contains("\"agent\":{\"disabled\":true}", script);
    }

    [Theory]
    [InlineData("scalar.js", "createApiReference")]
    [InlineData("scalar.aspnetcore.js", "export const initialize")]
    public async Task Reference_ScalarScript_ServedPlainOrGzipAsAsked(string asset, string expected)
    {
        var plain = Request("/api-docs/" + asset);
        var (status, headers, body) = await ExecuteAsync(ApiContractFiles.Reference(plain, asset), plain);
        Assert.Equal(200, status);
        Assert.Equal("", headers.ContentEncoding.ToString());
        Assert.Contains(expected, System.Text.Encoding.UTF8.GetString(body));

        var gzip = Request("/api-docs/" + asset, "br;q=1.0, gzip;q=0.8");
        var (gzipStatus, gzipHeaders, compressed) = await ExecuteAsync(ApiContractFiles.Reference(gzip, asset), gzip);
        Assert.Equal(200, gzipStatus);
        Assert.Equal("gzip", gzipHeaders.ContentEncoding.ToString());
        using var unzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var text = new StreamReader(unzip);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(body), await text.ReadToEndAsync());
    }

    [Fact]
    public async Task Reference_GzipRefused_ServedPlain()
    {
        var context = Request("/api-docs/scalar.aspnetcore.js", "gzip;q=0, identity");
        var (_, headers, body) = await ExecuteAsync(ApiContractFiles.Reference(context, "scalar.aspnetcore.js"), context);
        Assert.Equal("", headers.ContentEncoding.ToString());
        Assert.Contains("initialize", System.Text.Encoding.UTF8.GetString(body));
    }

    [Theory]
    [InlineData("../Orchestrator.Http.dll")]
    [InlineData("standalone.js")]
    [InlineData("ScalarStaticAssets.scalar.js")]
    public async Task Reference_UnknownAsset_404Problem(string asset)
    {
        var context = Request("/api-docs/" + asset);
        var (status, headers, _) = await ExecuteAsync(ApiContractFiles.Reference(context, asset), context);
        Assert.Equal(404, status);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal("", headers.ContentEncoding.ToString());
    }
}
