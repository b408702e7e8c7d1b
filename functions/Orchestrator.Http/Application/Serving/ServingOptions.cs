namespace Orchestrator.Http.Application.Serving;

/// <summary>Serving limits (section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    /// <summary>
    /// Largest row of a predict request, in bytes of JSON (names and values); 64 KiB by default — a row is a handful of
    /// features, and every row is logged.
    /// </summary>
    public int MaxRowBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Most rows of a predict request, and most items of a feedback request; 10,000 by default — with
    /// <see cref="MaxRowBytes"/> it bounds what one request makes the server score and log (the body itself stops at 16 MiB).
    /// </summary>
    public int MaxRows { get; set; } = 10_000;
}
