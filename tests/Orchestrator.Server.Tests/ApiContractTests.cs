using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Http.Api;

namespace Orchestrator.Server.Tests;

/// <summary>
/// The API contract on the running server: its endpoints are the route table, the OpenAPI document it serves is the
/// one generated at build time and committed in docs/openapi.json, and errors outside any use case answer problem+json.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ApiContractTests(ServerFixture server)
{
    private static readonly string CommittedDocument = Path.Combine(AzuriteFixture.RepoRoot, "docs", "openapi.json");
    private static readonly string GeneratedDocument = Path.Combine(AzuriteFixture.RepoRoot, "functions", "Orchestrator.Server", "obj", "openapi", "openapi.json");

    private List<(string Method, string Template, ApiRoute? Route)> Endpoints() =>
        server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (m, e.RoutePattern.RawText ?? "", e.Metadata.GetMetadata<ApiRoute>())))
            .ToList();

    [Fact]
    public void EndpointDataSource_ApiEndpoints_AreExactlyTheRouteTable()
    {
        var mapped = Endpoints().Where(e => e.Route is not null).Select(e => $"{e.Method} {e.Template} {e.Route!.Name}").Order(StringComparer.Ordinal);
        var declared = ApiRoutes.All.Select(r => $"{r.Method} {r.ServerTemplate} {r.Name}").Order(StringComparer.Ordinal);
        Assert.Equal(declared, mapped);
    }

    [Fact]
    public void EndpointDataSource_EndpointsOutsideTheTable_AreOnlyTheContractItself()
    {
        // The document and its reference page are public; everything else passes the access gate with a declared rule.
        var others = Endpoints().Where(e => e.Route is null && !e.Template.Contains("TaskHubSidecarService", StringComparison.Ordinal)
            && !e.Template.StartsWith("/grpc.", StringComparison.Ordinal) && !e.Template.StartsWith("{unimplementedService}", StringComparison.Ordinal)).Select(e => e.Template).Distinct().ToList();
        Assert.All(others, t => Assert.True(t.StartsWith("/openapi/", StringComparison.Ordinal) || t.StartsWith("/api-docs", StringComparison.Ordinal), t));
        Assert.Contains("/openapi/{documentName}.json", others);
    }

    private static JsonNode Parse(string json) => JsonNode.Parse(json) ?? throw new InvalidOperationException("Empty document.");

    [Fact]
    public void OpenApiDocument_GeneratedAtBuild_EqualsCommittedDocument()
    {
        Assert.True(File.Exists(GeneratedDocument), $"{GeneratedDocument} is missing: the server's build generates it.");
        Assert.True(File.Exists(CommittedDocument), "docs/openapi.json is missing: run ./run.sh openapi.");
        Assert.True(JsonNode.DeepEquals(Parse(File.ReadAllText(GeneratedDocument)), Parse(File.ReadAllText(CommittedDocument))),
            "docs/openapi.json differs from the document the build generated: run ./run.sh openapi and commit it.");
    }

    [Fact]
    public async Task OpenApiDocument_ServedAnonymously_EqualsCommittedDocument()
    {
        using var anonymous = server.ClientFor(null);
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("3.1.1", served["openapi"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(served, Parse(await File.ReadAllTextAsync(CommittedDocument))), "The served document differs from docs/openapi.json.");
    }

    public static TheoryData<string> RouteNames() => new(ApiRoutes.All.Select(r => r.Name));

    [Fact]
    public void OpenApiDocument_RouteThatNeverAnswersOk_ListsNoOkResponse()
    {
        var document = Parse(File.ReadAllText(CommittedDocument));
        var routes = ApiRoutes.All.Where(r => !r.AnswersOk).ToList();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var responses = document["paths"]![route.ServerTemplate.Replace(":int", "")]![route.Method.ToLowerInvariant()]!["responses"]!.AsObject();
            Assert.False(responses.ContainsKey("200"), $"{route.Name} never answers 200, but the document lists it.");
            Assert.All(route.Success, status => Assert.True(responses.ContainsKey(status.ToString()), $"{route.Name}: no {status} response."));
        }
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void OpenApiDocument_Operation_HasIdSummaryResponsesProblemsAndSecurity(string name)
    {
        var route = ApiRoutes.Named(name)!;
        var document = Parse(File.ReadAllText(CommittedDocument));
        var path = route.ServerTemplate.Replace(":int", "").Replace("{*", "{");
        var operation = document["paths"]?[path]?[route.Method.ToLowerInvariant()];
        Assert.True(operation is not null, $"{route.Method} {path} is not in docs/openapi.json.");
        Assert.Equal(route.Name, operation["operationId"]?.GetValue<string>());
        Assert.Equal(route.Summary, operation["summary"]?.GetValue<string>());
        var responses = operation["responses"]!.AsObject();
        foreach (var status in ApiRouteBuilderExtensions.ProblemsOf(route))
        {
            var problem = responses[status.ToString()]?["content"]?["application/problem+json"];
            Assert.True(problem is not null, $"{name}: no application/problem+json response for {status}.");
        }
        foreach (var status in route.Success.Where(s => s != StatusCodes.Status204NoContent).Append(StatusCodes.Status200OK).Where(s => responses.ContainsKey(s.ToString())))
        {
            var schema = responses[status.ToString()]!["content"]?["application/json"]?["schema"];
            if (schema is null) continue; // HTML or text answers
            Assert.True(schema.AsObject().Count > 0, $"{name}: the {status} response has an untyped schema.");
        }
        var secured = operation["security"]?.AsArray().Any(s => s?["bearer"] is not null) == true;
        Assert.Equal(route.Scope != AccessScope.Anonymous, secured);
    }

    [Fact]
    public void OpenApiDocument_Schemas_NoPropertyLeftUntyped()
    {
        // An empty schema says nothing of the shape; only values the caller chooses (JsonElement) may be any JSON.
        var schemas = Parse(File.ReadAllText(CommittedDocument))["components"]!["schemas"]!.AsObject();
        var untyped = new List<string>();
        foreach (var (name, schema) in schemas)
        {
            if (name == "JsonElement") continue;
            if (schema is JsonObject whole && !whole.Any(p => p.Key != "description")) untyped.Add(name);
            foreach (var (property, value) in schema?["properties"]?.AsObject() ?? [])
                if (value is JsonObject o && !o.Any(p => p.Key is not ("description" or "examples"))) untyped.Add($"{name}.{property}");
        }
        Assert.Empty(untyped);
        var duration = schemas["ProjectView"]!["properties"]!["approvalTimeout"]!;
        Assert.Equal("string", duration["type"]!.GetValue<string>());
        Assert.Equal("72:00:00", duration["examples"]![0]!.GetValue<string>());
    }

    [Fact]
    public void OpenApiDocument_RoutesThatReadABody_Declare400And413AndTheUploadItsMediaTypes()
    {
        var document = Parse(File.ReadAllText(CommittedDocument));
        var reading = ApiRoutes.All.Where(ApiRouteBuilderExtensions.ReadsBody).ToList();
        Assert.Contains(reading, r => r.Name == "PutProject");
        foreach (var route in reading)
        {
            var responses = document["paths"]![route.ServerTemplate.Replace(":int", "").Replace("{*", "{")]![route.Method.ToLowerInvariant()]!["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("413"), $"{route.Name} reads a body but declares no 413.");
            Assert.True(responses.ContainsKey("400"), $"{route.Name} reads a body but declares no 400.");
        }
        var upload = document["paths"]!["/api/projects/{project}/datasets/{dataset}"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.Equal(["text/csv", "application/json", "application/x-ndjson", "application/vnd.apache.parquet", "application/octet-stream", "*/*"], upload.Select(c => c.Key));
        var stream = document["components"]!["schemas"]!["Stream"]!;
        Assert.Equal(("string", "binary"), (stream["type"]!.GetValue<string>(), stream["format"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ApiReference_ServedAnonymously_UsesNoOutsideAssets()
    {
        using var anonymous = server.ClientFor(null);
        using var response = await anonymous.GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var sources = System.Text.RegularExpressions.Regex.Matches(html, @"(?:src|href)=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.False(s.StartsWith("http", StringComparison.OrdinalIgnoreCase) || s.StartsWith("//", StringComparison.Ordinal), s));
        foreach (var script in sources.Where(s => s.EndsWith(".js", StringComparison.Ordinal)))
        {
            using var asset = await anonymous.GetAsync(new Uri(new Uri(server.BaseUrl + "/api-docs/"), script));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }

    [Fact]
    public async Task UnknownRoute_Get_404ProblemJson()
    {
        using var response = await server.Http.GetAsync("/api/no-such-resource/at-all");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task KnownRoute_WrongMethod_405ProblemJson()
    {
        using var response = await server.Http.DeleteAsync("/api/projects/some-project/runs");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"task\": ", "body")]
    [InlineData("{\"task\": \"multiclass\", \"quorum\": \"two\"}", "quorum")]
    [InlineData("{\"task\": \"multiclass\", \"kpis\": [{\"metric\": \"microAccuracy\", \"min\": \"high\"}]}", "kpis[0].min")]
    public async Task JsonBody_UnreadableOrMistyped_400NamingTheJsonPath(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PutAsync("/api/projects/contract-json", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors should name '{field}': {errors}");
    }
}
