using System.Reflection;
using System.Text.Json.Serialization;

namespace Orchestrator.Workflows.Model;

/// <summary>Enum members by the names JSON writes them with (<see cref="JsonStringEnumMemberNameAttribute"/>, else the member's).</summary>
public static class WireNames
{
    /// <summary>
    /// The member written as <paramref name="name"/>, ignoring case (as query strings are read), or null. Unlike
    /// <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/>, numbers and comma-separated lists are not names.
    /// </summary>
    public static T? Find<T>(string? name) where T : struct, Enum =>
        name is not null && Members<T>.ByName.TryGetValue(name, out var value) ? value : null;

    /// <summary>Every member's wire name, in declaration order (to say which values a parameter takes).</summary>
    public static IEnumerable<string> All<T>() where T : struct, Enum => Members<T>.ByName.Keys;

    private static class Members<T> where T : struct, Enum
    {
        public static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(
            v => typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString(),
            StringComparer.OrdinalIgnoreCase);
    }
}
