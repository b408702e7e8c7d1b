using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Functions.Tests;

public class ResultActionResultTests
{
    private static async Task<(int Status, string? ContentType, string Body)> ExecuteAsync(IActionResult action)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await action.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
        return (http.Response.StatusCode, http.Response.ContentType, Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray()));
    }

    [Fact]
    public async Task ToActionResult_JsonResult_WritesStatusAndBody()
    {
        var (status, contentType, body) = await ExecuteAsync(Results.Json(new { status = "healthy" }, statusCode: 201).ToActionResult());
        Assert.Equal(201, status);
        Assert.StartsWith("application/json", contentType);
        Assert.Equal("""{"status":"healthy"}""", body);
    }

    [Fact]
    public async Task ToActionResult_TaskOfProblem_WritesProblemJson()
    {
        var (status, contentType, body) = await ExecuteAsync(await Task.FromResult(Results.Problem(statusCode: 404, title: "Run not found")).ToActionResult());
        Assert.Equal(404, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("Run not found", body);
    }
}
