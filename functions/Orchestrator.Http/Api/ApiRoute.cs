using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>How a route finds the project its permission is checked in.</summary>
public enum AccessScope
{
    /// <summary>No identity needed (health; the approval link, whose signed token is the credential).</summary>
    Anonymous,
    /// <summary>Not tied to one project: any grant of the permission admits; the route filters what it shows.</summary>
    Global,
    /// <summary>The <c>{project}</c> route value.</summary>
    Project,
    /// <summary>The project of the <c>{runId}</c> route value.</summary>
    Run,
    /// <summary>The project of the trial <c>{id}</c> (<c>{runId}.{trialId}</c>).</summary>
    Trial,
    /// <summary>The project of the <c>{approvalId}</c> route value.</summary>
    Approval,
    /// <summary>The project of the webhook subscription <c>{id}</c>.</summary>
    Webhook,
}

/// <summary>
/// What a route may reveal of a restricted dataset (one whose rows and statistics only the groups and users it names
/// may read), and how it keeps that from everyone else.
/// </summary>
public enum DataScope
{
    /// <summary>Nothing computed from a dataset's rows.</summary>
    None,
    /// <summary>Rows or statistics of the route's <c>{project}/{dataset}</c>: the gate answers 403 unless the caller may read them.</summary>
    RouteDataset,
    /// <summary>Trains on the dataset the body (or the run re-run) names: 403 unless the caller may read it.</summary>
    NamedDataset,
    /// <summary>Catalog entries: a restricted dataset the caller may not read shows only that it exists (no columns, expectations or counts).</summary>
    Redacted,
    /// <summary>
    /// Facts computed from a dataset's rows (runs, trials, model cards, models, predictions, monitoring, lineage): the
    /// gate refuses a run-scoped route whose run trained on a dataset the caller may not read; project-wide answers
    /// leave out (or do not name) what comes from such datasets.
    /// </summary>
    Derived,
}

/// <summary>
/// One route of the API, declared once: the operation (also the Functions function name), method, template under
/// <c>/api</c>, the permission it needs and where its project comes from, what it may reveal of restricted data, the
/// audit action it records (null: not audited), its handler, and what OpenAPI says of it. Both hosts bind to it:
/// the server maps the handler, the Functions app's trigger of the same name invokes it, the access gate reads it.
/// </summary>
public sealed record ApiRoute(string Name, string Method, string Route, Delegate Handler)
{
    /// <summary>What the caller needs (null: being signed in is enough, or the route is anonymous).</summary>
    public Permission? Permission { get; init; }

    public AccessScope Scope { get; init; } = AccessScope.Global;

    public DataScope Data { get; init; } = DataScope.None;

    /// <summary>The audit action recorded when the route completes, or null.</summary>
    public string? Audit { get; init; }

    /// <summary>One line for the API reference.</summary>
    public required string Summary { get; init; }

    /// <summary>More for the API reference: what the route does and answers.</summary>
    public string? Description { get; init; }

    /// <summary>Success codes other than 200 the route answers, with the handler's value type (e.g. 201, 202) or none (204).</summary>
    public IReadOnlyList<int> Success { get; init; } = [];

    /// <summary>False for routes that never answer 200 (a start that always answers 202, a creation that always answers 201).</summary>
    public bool AnswersOk { get; init; } = true;

    /// <summary>Problem codes the route answers (400, 404, 409, 413, 415, 422 …); 401 and 403 follow from the access rule, 500 from every route.</summary>
    public IReadOnlyList<int> Problems { get; init; } = [];

    /// <summary>Media types the route answers besides JSON (text/html for the approval page, application/x-ndjson …), by status.</summary>
    public IReadOnlyDictionary<int, string>? OtherContent { get; init; }

    /// <summary>Media types of the body when it is not JSON (uploads), shown in the API reference.</summary>
    public IReadOnlyList<string>? Accepts { get; init; }

    /// <summary>The body's type when the handler reads it itself in one of <see cref="Accepts"/> (a form or JSON); a stream otherwise.</summary>
    public Type? Body { get; init; }

    /// <summary>
    /// The largest JSON body the route reads, in bytes: a larger declared length is refused before a byte is read, a
    /// streamed body once it passes the limit (413). Uploads read their own limit (<c>Uploads:MaxBytes</c>).
    /// </summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>1 MiB: far above any project definition or request object, far below what would strain the server.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>The resource group (tag) it belongs to; set by its <see cref="ApiResource"/>.</summary>
    public string Tag { get; init; } = "";

    /// <summary>Where the API's routes sit (the portal has the rest of the paths; liveness and readiness sit at the root as probes expect).</summary>
    public const string PathPrefix = "api/";

    /// <summary>The template both hosts map.</summary>
    public string ServerTemplate => Route is HealthApi.HealthRoute or HealthApi.ReadyRoute ? "/" + Route : "/" + PathPrefix + Route;
}

/// <summary>The routes of one resource (one tag of the API reference).</summary>
public sealed record ApiResource(string Tag, string Description, IReadOnlyList<ApiRoute> Routes);
