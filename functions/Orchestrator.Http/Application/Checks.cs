using System.Globalization;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application;

/// <summary>Checks of request values every use case shares.</summary>
public static class Checks
{
    /// <summary>Invalid (naming <paramref name="field"/>) unless <paramref name="value"/> is a valid name; null when it is.</summary>
    public static Failure? Name(string? value, string field) =>
        Names.IsValidName(value) ? null : Failure.Invalid(field, $"'{value}' is not a valid name: lower-case letters, digits and hyphens, 2-63 characters.");

    /// <summary>
    /// For use cases whose scope is in the body (the environment of a promotion, the project of a subscription), which
    /// the access gate cannot see: forbidden, with why as the audit detail, unless the caller has
    /// <paramref name="permission"/> there; null when it has.
    /// </summary>
    public static Outcome<T>? Access<T>(AccessContext? access, Permission permission, string project, string? environment = null)
    {
        if (access?.Allows(permission, project, environment) == true) return null;
        var detail = AccessGate.Lacks(access?.Caller.Id ?? "anonymous", permission, project, environment);
        return (Outcome<T>)Failure.Forbidden(detail) with { AuditDetail = detail };
    }

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
