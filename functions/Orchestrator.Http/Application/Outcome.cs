namespace Orchestrator.Http.Application;

/// <summary>What a use case ended in. <see cref="Api.OutcomeResults"/> is the one place that turns each into an HTTP status.</summary>
public enum OutcomeKind
{
    /// <summary>Found, or done: the value is the answer.</summary>
    Ok,
    /// <summary>A new resource: the value is it, <see cref="Outcome{T}.Location"/> where it lives.</summary>
    Created,
    /// <summary>Started and still running: the value says where to follow it.</summary>
    Accepted,
    /// <summary>Done, nothing to say.</summary>
    NoContent,
    /// <summary>The request's fields are wrong (each named in <see cref="Failure.Errors"/>).</summary>
    Invalid,
    /// <summary>The caller may not do this here.</summary>
    Forbidden,
    /// <summary>What the request names does not exist.</summary>
    NotFound,
    /// <summary>The resource's state does not allow it now.</summary>
    Conflict,
    /// <summary>The body is larger than the limit.</summary>
    TooLarge,
    /// <summary>The body's media type is not accepted.</summary>
    UnsupportedMediaType,
    /// <summary>Well-formed, but its content fails the checks (data quality, a smoke test).</summary>
    Unprocessable,
    /// <summary>A system this depends on (SMTP) failed.</summary>
    Upstream,
    /// <summary>The work itself failed.</summary>
    Failed,
    /// <summary>Storage (or another service this cannot work without) does not answer now; try again later.</summary>
    Unavailable,
}

/// <summary>
/// A use case that did not succeed: which kind of failure, a title and detail for people, and — for invalid
/// requests — the errors by field (JSON path, <c>body</c> for the whole body). Extensions add machine-readable facts
/// (the version that failed, where the raw file is kept).
/// </summary>
public sealed record Failure(OutcomeKind Kind, string Title, string Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null, IReadOnlyDictionary<string, object?>? Extensions = null)
{
    /// <summary>Fields of the request that are wrong, each with why.</summary>
    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors, string detail = "The request has invalid fields.") =>
        new(OutcomeKind.Invalid, "Invalid request", detail, errors);

    /// <summary>One wrong field.</summary>
    public static Failure Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static Failure NotFound(string title, string detail) => new(OutcomeKind.NotFound, title, detail);

    public static Failure Conflict(string title, string detail) => new(OutcomeKind.Conflict, title, detail);

    public static Failure Forbidden(string detail, string title = "Forbidden") => new(OutcomeKind.Forbidden, title, detail);

    /// <summary>The project named by the request does not exist.</summary>
    public static Failure ProjectNotFound(string project) =>
        NotFound("Project not found", $"Project '{project}' does not exist; create it with PUT /api/projects/{project}.");
}

/// <summary>The outcome of a use case: a value of <typeparamref name="T"/> or a <see cref="Failure"/>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "Outcome<T>.Ok(value) reads as what it is at every use case; a non-generic factory would need the type argument spelled anyway.")]
public sealed record Outcome<T>
{
    private Outcome(OutcomeKind kind, T? value, Failure? failure, string? location)
    {
        Kind = kind;
        Value = value;
        Failure = failure;
        Location = location;
    }

    public OutcomeKind Kind { get; }

    /// <summary>The answer, when the use case succeeded.</summary>
    public T? Value { get; }

    /// <summary>Why it did not, otherwise.</summary>
    public Failure? Failure { get; }

    /// <summary>Where the created or running resource can be read (the <c>Location</c> header).</summary>
    public string? Location { get; }

    /// <summary>Audit detail to record with the request (what was decided, why it was refused).</summary>
    public string? AuditDetail { get; init; }

    /// <summary>Who acted, when the route is anonymous and the request itself names them (an approval link).</summary>
    public string? AuditActor { get; init; }

    public bool Succeeded => Failure is null;

    public static Outcome<T> Ok(T value, string? location = null) => new(OutcomeKind.Ok, value, null, location);

    public static Outcome<T> Created(T value, string location) => new(OutcomeKind.Created, value, null, location);

    public static Outcome<T> Accepted(T value, string? location = null) => new(OutcomeKind.Accepted, value, null, location);

    public static Outcome<T> NoContent() => new(OutcomeKind.NoContent, default, null, null);

    public static implicit operator Outcome<T>(Failure failure) => new(failure.Kind, default, failure, null);
}
