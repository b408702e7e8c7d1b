using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Orchestrator.Functions;

/// <summary>Runs a minimal-API <see cref="IResult"/> (what <c>LifecycleApi</c> returns) as an MVC <see cref="IActionResult"/>.</summary>
public sealed class ResultActionResult(IResult result) : IActionResult
{
    /// <summary>The wrapped result.</summary>
    public IResult Result { get; } = result;

    /// <inheritdoc />
    public Task ExecuteResultAsync(ActionContext context) => Result.ExecuteAsync(context.HttpContext);
}

/// <summary>Adapters from <see cref="IResult"/> to <see cref="IActionResult"/>.</summary>
public static class ResultActionResultExtensions
{
    /// <summary>Wraps the result.</summary>
    public static IActionResult ToActionResult(this IResult result) => new ResultActionResult(result);

    /// <summary>Wraps the result when it completes.</summary>
    public static async Task<IActionResult> ToActionResult(this Task<IResult> result) => new ResultActionResult(await result);
}
