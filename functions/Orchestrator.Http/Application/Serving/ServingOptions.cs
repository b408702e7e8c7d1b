namespace Orchestrator.Http.Application.Serving;

/// <summary>Serving limits (section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    /// <summary>
    /// Largest row of a predict request, in bytes of JSON (names and values); 64 KiB by default — a row is a handful of
    /// features, and every row is logged.
    /// </summary>
    public int MaxRowBytes { get; set; } = 64 * 1024;
}
