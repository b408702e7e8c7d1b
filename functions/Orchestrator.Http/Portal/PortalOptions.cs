namespace Orchestrator.Http.Portal;

/// <summary>Where the built portal is (section <c>Portal</c>).</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>
    /// The folder of the built portal; by default <c>portal/</c> next to the host's assemblies, where the build copies
    /// <c>portal/dist</c>. Point it at <c>portal/dist</c> to see a rebuilt portal without rebuilding the host.
    /// </summary>
    public string? Root { get; set; }
}
