using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Http.Api;

namespace Orchestrator.Server.Tests;

/// <summary>Errors outside any use case, as both hosts answer them (the server's exception handler and the Functions invoker share <see cref="ApiErrors"/>).</summary>
public sealed class ApiErrorsTests
{
    private static async Task<(int Status, string ContentType, JsonElement Body)> AnswerAsync(Exception exception, string? correlationId = null)
    {
        var services = new ServiceCollection().AddLogging().AddOrchestratorApi().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        if (correlationId is not null) context.Request.Headers["X-Correlation-Id"] = correlationId;
        Assert.True(await ApiErrors.TryWriteAsync(context, exception, NullLogger.Instance));
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, context.Response.ContentType ?? "", JsonDocument.Parse(context.Response.Body).RootElement.Clone());
    }

    [Fact]
    public async Task TryWrite_UnhandledException_500WithCorrelationIdAndNoExceptionText()
    {
        var (status, contentType, body) = await AnswerAsync(new InvalidOperationException("connection string AccountKey=secret"), "corr-123");
        Assert.Equal(500, status);
        Assert.StartsWith("application/problem+json", contentType);
        Assert.Equal("corr-123", body.GetProperty("correlationId").GetString());
        Assert.DoesNotContain("secret", body.GetRawText());
        Assert.DoesNotContain("InvalidOperationException", body.GetRawText());
    }

    [Fact]
    public async Task TryWrite_BodyOverKestrelLimit_413Problem()
    {
        var (status, contentType, _) = await AnswerAsync(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));
        Assert.Equal((413, true), (status, contentType.StartsWith("application/problem+json")));
    }

    [Fact]
    public async Task TryWrite_MistypedJson_400NamingThePath()
    {
        JsonException thrown;
        try { JsonSerializer.Deserialize<Dictionary<string, int>>("{\"a\": 1, \"b\": \"x\"}"); throw new InvalidOperationException("expected a JsonException"); }
        catch (JsonException e) { thrown = e; }
        var (status, _, body) = await AnswerAsync(new BadHttpRequestException("bad", thrown));
        Assert.Equal(400, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("b", out _), body.GetRawText());
    }

    [Fact]
    public async Task TryWrite_InvalidRequest_400WithTheField()
    {
        var (status, _, body) = await AnswerAsync(new InvalidRequestException("kpis[0].min", "Invalid JSON: not a number."));
        Assert.Equal(400, status);
        Assert.Equal("Invalid JSON: not a number.", body.GetProperty("errors").GetProperty("kpis[0].min")[0].GetString());
    }
}
