using System.Text.RegularExpressions;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// Validation of user-supplied names before they reach a blob path or a table key.
/// Lower-case letters, digits and inner hyphens, 2–63 characters: valid in blob paths and table keys alike.
/// </summary>
public static partial class Names
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex IdPattern();

    /// <summary>True when <paramref name="name"/> is a valid project or dataset name.</summary>
    public static bool IsValidName(string? name) => name is { Length: >= 2 } && NamePattern().IsMatch(name);

    /// <summary>True when <paramref name="id"/> is a valid run, trial or approval id.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Throws when <paramref name="name"/> is not a valid name; the last line of defence before paths.</summary>
    public static string Require(string? name, string what) =>
        IsValidName(name) ? name! : throw new ArgumentException($"'{name}' is not a valid {what} name (lower-case letters, digits and hyphens, 2-63 characters).", what);

    /// <summary>Throws when <paramref name="id"/> is not a valid id.</summary>
    public static string RequireId(string? id, string what) =>
        IsValidId(id) ? id! : throw new ArgumentException($"'{id}' is not a valid {what} id.", what);

    /// <summary>Table row key of a version number that sorts numerically.</summary>
    public static string VersionKey(int version) => version.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
}
