using System.Globalization;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application;

/// <summary>Checks of request values every use case shares.</summary>
public static class Checks
{
    /// <summary>Invalid (naming <paramref name="field"/>) unless <paramref name="value"/> is a valid name; null when it is.</summary>
    public static Failure? Name(string? value, string field) =>
        Names.IsValidName(value) ? null : Failure.Invalid(field, $"'{value}' is not a valid name: lower-case letters, digits and hyphens, 2-63 characters.");

    /// <summary>
    /// The time <paramref name="text"/> gives (ISO 8601, UTC unless it says otherwise); null when there is none, or
    /// when it is not a time — then <paramref name="errors"/> names <paramref name="field"/> with <paramref name="example"/>.
    /// </summary>
    public static DateTimeOffset? Time(string? text, string field, Dictionary<string, string[]> errors, string example)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value;
        errors[field] = [example];
        return null;
    }
}
