using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Workflows.Storage;

/// <summary>
/// The one JSON convention of the product: web defaults (camelCase), enums as strings, durations as people write them,
/// no repeated keys.
/// </summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // A repeated key is ambiguous (which one counts?) and lets a body say one thing to one reader and another to the next.
            AllowDuplicateProperties = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new DurationConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.");
}

/// <summary>
/// Durations as people write them: <c>"72:00:00"</c> (hours may exceed 23), <c>"3.00:00:00"</c> or ISO 8601 <c>"PT72H"</c>.
/// Written as total hours, minutes and seconds. At most <see cref="MaxDuration"/>: a longer one is a mistake, and
/// deadlines computed from it would overflow.
/// </summary>
public sealed class DurationConverter : JsonConverter<TimeSpan>
{
    /// <summary>The longest duration read: 366 days (a year, leap day included).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString()?.Trim() ?? throw new JsonException("A duration is required.");
        TimeSpan value;
        try
        {
            if (!TryParse(text, out value))
                throw new JsonException($"'{text}' is not a duration; use hh:mm:ss (e.g. 72:00:00) or ISO 8601 (e.g. PT72H).");
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            // "999999999:00:00" and the like: more than a TimeSpan holds, so more than the maximum.
            value = TimeSpan.MaxValue;
        }
        if (value.Duration() > MaxDuration)
            throw new JsonException($"'{text}' is longer than the longest duration accepted, {MaxDuration.TotalDays} days.");
        return value;
    }

    /// <summary>Parses a duration in any of the accepted forms; false when it is none of them; one too large for a <see cref="TimeSpan"/> throws.</summary>
    private static bool TryParse(string text, out TimeSpan value)
    {
        var parts = text.Split(':');
        if (parts.Length == 3 && !parts[0].Contains('.') && int.TryParse(parts[0], out var h) && int.TryParse(parts[1], out var m) && double.TryParse(parts[2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && h >= 0 && m is >= 0 and < 60 && s is >= 0 and < 60)
        {
            value = TimeSpan.FromHours(h) + TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(s);
            return true;
        }
        if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out value)) return true;
        try
        {
            value = System.Xml.XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            value = default;
            return false;
        }
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue($"{(long)value.TotalHours:00}:{value.Minutes:00}:{value.Seconds:00}");
}
