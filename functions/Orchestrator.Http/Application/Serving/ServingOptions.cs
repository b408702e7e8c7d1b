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

    /// <summary>
    /// Most bytes of rows (as <see cref="MaxRowBytes"/> counts them) waiting to be scored by the staging model for canary
    /// traffic; 16 MiB by default. Past it shadow rows are skipped and counted, so the challenger never slows production.
    /// </summary>
    public long ShadowQueueBytes { get; set; } = 16L * 1024 * 1024;
}
