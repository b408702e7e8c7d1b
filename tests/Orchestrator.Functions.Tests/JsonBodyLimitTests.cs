using System.Text;
using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Api;
using Orchestrator.Http.Application.Serving;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Functions.Tests;

/// <summary>
/// The body limit as the Functions host meets it: no endpoint metadata, only the handler's parameter, from which
/// <see cref="JsonBody{T}"/> finds its route (<see cref="ApiRoutes.OfHandler"/>) and that route's limit.
/// </summary>
public class JsonBodyLimitTests
{
    private static System.Reflection.ParameterInfo BodyOf(string handler, Type owner) =>
        owner.GetMethod(handler)!.GetParameters().Single(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(JsonBody<>));

    /// <summary>A JSON object of one string field, <paramref name="length"/> bytes in all.</summary>
    private static byte[] JsonOf(int length) => Encoding.ASCII.GetBytes("{\"label\":\"" + new string('x', length - 12) + "\"}");

    private static DefaultHttpContext Request(MemoryStream body, bool declared)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = body;
        context.Request.ContentLength = declared ? body.Length : null;
        return context;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BindAsync_ProjectBodyOverOneMiB_413NamingTheLimitWhetherDeclaredOrStreamed(bool declared)
    {
        var source = new MemoryStream(JsonOf(2 * 1024 * 1024));
        var context = Request(source, declared);
        var e = await Assert.ThrowsAsync<BadHttpRequestException>(() => JsonBody<ProjectDefinition>.BindAsync(context, BodyOf(nameof(ProjectsApi.PutProject), typeof(ProjectsApi))).AsTask());
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, e.StatusCode);
        Assert.Contains($"{ApiRoute.DefaultMaxBodyBytes} bytes", e.Message);
        // Declared: not a byte read; streamed: not a byte past the one that shows it is over.
        Assert.Equal(declared ? 0 : ApiRoute.DefaultMaxBodyBytes + 1, source.Position);
    }

    [Fact]
    public void OfHandler_PredictAndFeedback_TakeTheBatchLimit()
    {
        Assert.Equal(ServingApi.BatchBodyBytes, ApiRoutes.OfHandler(typeof(ServingApi).GetMethod(nameof(ServingApi.Predict))!)?.MaxBodyBytes);
        Assert.Equal(ServingApi.BatchBodyBytes, ApiRoutes.OfHandler(typeof(ServingApi).GetMethod(nameof(ServingApi.Feedback))!)?.MaxBodyBytes);
        Assert.Equal(ApiRoute.DefaultMaxBodyBytes, ApiRoutes.OfHandler(typeof(ProjectsApi).GetMethod(nameof(ProjectsApi.PutProject))!)?.MaxBodyBytes);
    }

    [Fact]
    public async Task BindAsync_PredictBodyOfTwoMiB_ReadWithinTheBatchLimit()
    {
        var rows = "{\"rows\":[{\"junk\":\"" + new string('x', 2 * 1024 * 1024) + "\"}]}";
        var body = await JsonBody<PredictRequest>.BindAsync(Request(new MemoryStream(Encoding.ASCII.GetBytes(rows)), declared: false), BodyOf(nameof(ServingApi.Predict), typeof(ServingApi)));
        Assert.Single(body!.Value.Rows!);
    }
}
