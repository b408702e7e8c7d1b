using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application;

/// <summary>Checks of request values every use case shares.</summary>
public static class Checks
{
    /// <summary>Invalid (naming <paramref name="field"/>) unless <paramref name="value"/> is a valid name; null when it is.</summary>
    public static Failure? Name(string? value, string field) =>
        Names.IsValidName(value) ? null : Failure.Invalid(field, $"'{value}' is not a valid name: lower-case letters, digits and hyphens, 2-63 characters.");
}
