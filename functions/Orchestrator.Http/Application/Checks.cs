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

    /// <summary>
    /// The page a list route was asked for: <c>offset</c> (0 or more) and <c>limit</c> (1 to <paramref name="maxLimit"/>,
    /// <paramref name="defaultLimit"/> when absent); a bad value names its parameter in <paramref name="errors"/>.
    /// </summary>
    public static PageRequest Page(string? offset, string? limit, int defaultLimit, int maxLimit, Dictionary<string, string[]> errors)
    {
        var skip = 0;
        var take = defaultLimit;
        if (!string.IsNullOrEmpty(offset) && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
            errors["offset"] = ["A whole number, 0 or more."];
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 || take > maxLimit))
            errors["limit"] = [$"1 to {maxLimit}."];
        return new PageRequest(Math.Max(skip, 0), Math.Clamp(take, 1, maxLimit));
    }
}

/// <summary>Which slice of a server-side list to answer.</summary>
public readonly record struct PageRequest(int Offset, int Limit)
{
    public IReadOnlyList<T> Of<T>(IReadOnlyList<T> all) => [.. all.Skip(Offset).Take(Limit)];

    /// <summary>The offset of the next page, or null when this page reaches the end.</summary>
    public int? NextOffset(int total) => Offset + Limit < total ? Offset + Limit : null;
}
