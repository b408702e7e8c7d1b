using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Orchestrator.Http.Api;
using Scalar.AspNetCore;

namespace Orchestrator.Http.Contract;

/// <summary>
/// The API contract for callers of either host: the OpenAPI document at <c>/openapi/v1.json</c> and its reference page
/// at <c>/api-docs/</c> (Scalar's scripts, shipped inside its package, served from here: no CDN). The server generates the
/// document at run time; the Functions app serves the committed <c>docs/openapi.json</c>, copied next to its assembly, which
/// a test keeps equal to the generated one.
/// </summary>
public static class ApiContractFiles
{
    public const string DocumentRoute = "openapi/v1.json";
    public const string ReferenceRoute = "api-docs";

    /// <summary>The page loads only its own scripts and the document; Scalar's components style themselves inline.</summary>
    public const string ReferenceSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>Scalar's scripts as its package embeds them (gzip-compressed), by the name the page asks for.</summary>
    private static readonly Dictionary<string, string> ScalarScripts = new(StringComparer.Ordinal)
    {
        ["scalar.js"] = "ScalarStaticAssets.scalar.js",
        ["scalar.aspnetcore.js"] = "ScalarStaticAssets.scalar.aspnetcore.js",
    };

    private static readonly Assembly ScalarAssembly = typeof(ScalarOptions).Assembly;

    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
            <title>Orchestrator API</title>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
        </head>
        <body>
            <div id="app"></div>
            <script src="scalar.js"></script>
            <script type="module" src="reference.js"></script>
        </body>
        </html>
        """;

    /// <summary>Scalar's own start-up call, as a file rather than inline script, so the page keeps a strict policy.</summary>
    private static readonly string StartScript =
        "import { initialize } from './scalar.aspnetcore.js';\n"
        + $"initialize('%2F{ReferenceRoute}%2F', false, {JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["_integration"] = "dotnet",
            ["withDefaultFonts"] = false,
            // Scalar's hosted extras (its toolbar's sharing and SDK generation, the AI agent) call scalar.com: off.
            ["showDeveloperTools"] = "never",
            ["agent"] = new Dictionary<string, bool> { ["disabled"] = true },
            ["sources"] = new[] { new Dictionary<string, string> { ["title"] = "v1", ["url"] = DocumentRoute } },
        })}, '');\n";

    /// <summary>Where the Functions app finds the committed document (its project copies docs/openapi.json there).</summary>
    public static string CommittedDocument => Path.Combine(AppContext.BaseDirectory, "openapi", "v1.json");

    /// <summary>The committed document, as the Functions app serves it.</summary>
    public static IResult Document(HttpContext context)
    {
        if (!File.Exists(CommittedDocument))
            return OutcomeResults.Problem(503, "The API document is missing", $"The host's build copies docs/openapi.json to {DocumentRoute}; it is not there.");
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(CommittedDocument, "application/json; charset=utf-8");
    }

    /// <summary>
    /// The reference page (<paramref name="asset"/> empty) or one of its scripts. <c>/api-docs</c> without the slash is
    /// redirected to <c>/api-docs/</c>, where the page's relative script names resolve.
    /// </summary>
    public static IResult Reference(HttpContext context, string? asset)
    {
        asset = (asset ?? "").Trim('/');
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        if (asset.Length == 0)
        {
            if (!(context.Request.Path.Value ?? "").EndsWith('/')) return TypedResults.Redirect($"/{ReferenceRoute}/");
            headers.ContentSecurityPolicy = ReferenceSecurityPolicy;
            headers.XFrameOptions = "DENY";
            return TypedResults.Text(Page, "text/html; charset=utf-8");
        }
        if (asset == "reference.js") return TypedResults.Text(StartScript, "text/javascript; charset=utf-8");
        if (!ScalarScripts.TryGetValue(asset, out var resource) || ScalarAssembly.GetManifestResourceStream(resource) is not { } compressed)
            return OutcomeResults.Problem(404, "Not Found", $"The API reference has no file /{ReferenceRoute}/{asset}.");
        headers.Vary = HeaderNames.AcceptEncoding;
        if (AcceptsGzip(context.Request))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Stream(compressed, "text/javascript; charset=utf-8");
        }
        return TypedResults.Stream(new GZipStream(compressed, CompressionMode.Decompress), "text/javascript; charset=utf-8");
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var encodings)
        && encodings.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is null or > 0);
}
