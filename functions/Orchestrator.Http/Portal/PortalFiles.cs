using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Http.Api;

namespace Orchestrator.Http.Portal;

/// <summary>
/// The portal's static files, served the same way by both hosts (the server's catch-all GET, the Functions app's one
/// anonymous trigger): a path names a file of the built portal, or — for the portal's own client-side routes, paths
/// without an extension — its <c>index.html</c>. Segments that could leave the folder or name hidden files are refused,
/// and every answer carries the portal's strict content security policy.
/// </summary>
public sealed class PortalFiles(IOptions<PortalOptions> options)
{
    /// <summary>Everything from the portal's own origin, nothing inline, nothing framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>The folder esbuild writes content-hashed names into: safe to cache for a year.</summary>
    public const string HashedAssets = "assets";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public string Root { get; } = Path.GetFullPath(options.Value.Root ?? Path.Combine(AppContext.BaseDirectory, "portal"));

    /// <summary>
    /// The file that answers <paramref name="path"/> (relative to <c>/</c>), or why none does: paths under <c>api/</c>
    /// are the API's (a 405 naming the methods its routes take there, else a 404), other methods than GET and HEAD are a
    /// 404 as on the server, bad segments and missing files with an extension are 404, a missing portal is 503.
    /// </summary>
    public IResult Serve(HttpContext context, string? path)
    {
        path = (path ?? "").Trim('/');
        if (path == "api" || path.StartsWith(ApiRoute.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // What the server's routing answers itself, for the Functions host, whose catch-all trigger gets these too.
            var allowed = ApiRoutes.MethodsAt(path);
            if (allowed.Count == 0) return OutcomeResults.Problem(404, "Not Found", $"No API route matches /{path}.");
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return OutcomeResults.Problem(405, "Method Not Allowed", $"/{path} answers {string.Join(", ", allowed)}, not {context.Request.Method}.");
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            return OutcomeResults.Problem(404, "Not Found", $"Nothing answers {context.Request.Method} /{path}.");
        var index = Path.Combine(Root, "index.html");
        if (!File.Exists(index))
            return OutcomeResults.Problem(503, "The portal is not built", "Build it with infra/local/setup.sh (npm ci and the portal's build), then restart the host.");
        var segments = path.Length == 0 ? [] : path.Split('/');
        if (segments.Any(s => !IsSafeSegment(s))) return NotFound(path);
        var file = segments.Length == 0 ? index : Path.GetFullPath(Path.Combine([Root, .. segments]));
        if (!file.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return NotFound(path);
        if (!File.Exists(file))
        {
            // A client-side route (/runs/abc): the portal's router draws it. A missing asset stays missing.
            if (Path.HasExtension(file)) return NotFound(path);
            file = index;
        }
        if (!ContentTypes.TryGetContentType(file, out var contentType)) return NotFound(path);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = segments.Length > 1 && segments[0] == HashedAssets ? "public, max-age=31536000, immutable" : "no-cache";
        return TypedResults.PhysicalFile(file, contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.Contains("javascript") ? contentType + "; charset=utf-8" : contentType);
    }

    private static IResult NotFound(string path) => OutcomeResults.Problem(404, "Not Found", $"The portal has no file /{path}.");

    /// <summary>A plain name: not empty, not a dot name (., .., .hidden), no separators, drive letters or control characters.</summary>
    private static bool IsSafeSegment(string segment) =>
        segment.Length is > 0 and <= 255 && segment[0] != '.' && !segment.Any(c => char.IsControl(c) || c is '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|');
}

/// <summary>
/// The server's portal: a GET or HEAD that no endpoint matched (and that is not under <c>api/</c>) is answered from the
/// portal's files. A middleware rather than a catch-all route, so routing's own answers stay as they are: an unknown
/// API path is a 404 and a known path with the wrong method a 405.
/// </summary>
public static class PortalApplicationBuilderExtensions
{
    public static IApplicationBuilder UsePortal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is null && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                var portal = context.RequestServices.GetRequiredService<PortalFiles>();
                await portal.Serve(context, context.Request.Path.Value).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
}
