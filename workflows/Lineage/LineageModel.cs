using System.Globalization;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Lineage;

/// <summary>Kinds of lineage nodes, in the order work flows through them.</summary>
public static class LineageKind
{
    /// <summary>Where bytes came from: <c>landing/{blob}</c> for a hand-over, <c>upload/{project}/{dataset}/{file}</c> for an upload.</summary>
    public const string Source = "source";
    /// <summary>The bytes as received, by their path in the <c>raw</c> container.</summary>
    public const string Raw = "raw";
    /// <summary><c>{project}/{dataset}/{version}</c>.</summary>
    public const string DatasetVersion = "dataset-version";
    /// <summary>The run id.</summary>
    public const string Run = "run";
    /// <summary><c>{runId}.{trialId}</c>, as <c>GET /api/trials/{id}</c> names it.</summary>
    public const string Trial = "trial";
    /// <summary><c>{project}/{version}</c>.</summary>
    public const string ModelVersion = "model-version";
    /// <summary><c>{project}/{environment}/{change sequence}</c>: one switch of an environment.</summary>
    public const string Deployment = "deployment";
    /// <summary><c>{project}/{reportId}</c>.</summary>
    public const string MonitoringReport = "monitoring-report";
    /// <summary><c>{project}/{batchId}</c>: one batch scoring of a dataset version with a model version.</summary>
    public const string Batch = "batch";

    public static readonly IReadOnlyList<string> All = [Source, Raw, DatasetVersion, Run, Trial, ModelVersion, Deployment, MonitoringReport, Batch];

    private static readonly Dictionary<string, int> Positions = All.Select((kind, i) => (kind, i)).ToDictionary(x => x.kind, x => x.i, StringComparer.Ordinal);

    /// <summary>True for a kind the graph knows.</summary>
    public static bool IsKnown(string? kind) => kind is not null && Positions.ContainsKey(kind);

    /// <summary>Position in the flow (for stable ordering); unknown kinds last.</summary>
    public static int Order(string kind) => Positions.GetValueOrDefault(kind, All.Count);
}

/// <summary>Edge types; each reads "from TYPE to" and points the way work flowed (downstream).</summary>
public static class LineageEdgeType
{
    /// <summary>source → raw: the bytes were stored as received.</summary>
    public const string IngestedAs = "ingested-as";
    /// <summary>raw → dataset-version: the bytes were curated (or failed) into a version.</summary>
    public const string CuratedTo = "curated-to";
    /// <summary>dataset-version → run: the run trained on the version.</summary>
    public const string TrainedIn = "trained-in";
    /// <summary>run → trial: a candidate the run trained.</summary>
    public const string Produced = "produced";
    /// <summary>trial → model-version: the approved trial was registered.</summary>
    public const string RegisteredAs = "registered-as";
    /// <summary>model-version → deployment: an environment switched to the version (promotion or rollback).</summary>
    public const string DeployedAs = "deployed-as";
    /// <summary>deployment (or model-version) → monitoring-report: a monitoring window of what was serving.</summary>
    public const string MonitoredBy = "monitored-by";
    /// <summary>monitoring-report → run: the report asked for the retraining run.</summary>
    public const string Triggered = "triggered";
    /// <summary>run → run: an ended (e.g. rejected) run was attempted again as the later one.</summary>
    public const string RerunAs = "rerun-as";
    /// <summary>dataset-version → batch: the batch scored the version's rows.</summary>
    public const string ScoredIn = "scored-in";
    /// <summary>model-version → batch: the version did the batch's scoring.</summary>
    public const string Scored = "scored";
}

/// <summary>Which way a traversal follows edges: upstream (where it came from), downstream (what came of it), or both.</summary>
public enum LineageDirection
{
    Both,
    Up,
    Down,
}

/// <summary>A node of the lineage graph: a kind and an id that is stable and readable.</summary>
public sealed record LineageNode(string Kind, string Id)
{
    public override string ToString() => $"{Kind}:{Id}";

    public static LineageNode DatasetVersion(string project, string dataset, int version) =>
        new(LineageKind.DatasetVersion, $"{project}/{dataset}/{version.ToString(CultureInfo.InvariantCulture)}");

    public static LineageNode Run(string runId) => new(LineageKind.Run, runId);

    public static LineageNode Trial(string runId, string trialId) => new(LineageKind.Trial, $"{runId}.{trialId}");

    public static LineageNode ModelVersion(string project, int version) =>
        new(LineageKind.ModelVersion, $"{project}/{version.ToString(CultureInfo.InvariantCulture)}");

    public static LineageNode Deployment(string project, string environment, long sequence) =>
        new(LineageKind.Deployment, $"{project}/{environment}/{sequence.ToString(CultureInfo.InvariantCulture)}");

    public static LineageNode MonitoringReport(string project, string reportId) => new(LineageKind.MonitoringReport, $"{project}/{reportId}");

    public static LineageNode Batch(string project, string batchId) => new(LineageKind.Batch, $"{project}/{batchId}");
}

/// <summary>
/// A typed edge with small properties (who, and facts such as environment or from/to versions). Its identity is
/// (from, type, to): recording the same edge again replaces it, never adds one.
/// </summary>
public sealed record LineageEdge(LineageNode From, string Type, LineageNode To, DateTimeOffset? At = null, IReadOnlyDictionary<string, string>? Properties = null)
{
    /// <summary>The edge's identity.</summary>
    public string Key => $"{From}|{Type}|{To}";
}

/// <summary>A node reached by a traversal and how many edges away from the start it is.</summary>
public sealed record LineageNodeAt(LineageNode Node, int Distance);

/// <summary>What a traversal found: nodes (the start first) and the edges between them; truncated when the node limit was hit.</summary>
public sealed record LineageGraph(LineageNode Root, LineageDirection Direction, int Depth, IReadOnlyList<LineageNodeAt> Nodes, IReadOnlyList<LineageEdge> Edges, bool Truncated);

/// <summary>Lineage settings (section <c>Lineage</c>).</summary>
public sealed class LineageOptions
{
    /// <summary>Depth of a traversal when the caller gives none.</summary>
    public int DefaultDepth { get; set; } = 10;

    /// <summary>Largest depth a caller may ask for.</summary>
    public int MaxDepth { get; set; } = 50;

    /// <summary>At most this many nodes per traversal (then the answer says truncated).</summary>
    public int MaxNodes { get; set; } = 2000;
}

/// <summary>
/// The edges each stage records, built from the facts it has at hand (one place, so every writer names nodes alike).
/// Properties stay small: who, when, and a few identifying facts.
/// </summary>
public static class LineageEdges
{
    private const int MaxText = 200;

    private static Dictionary<string, string> Props(params (string Key, string? Value)[] values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .ToDictionary(v => v.Key, v => v.Value!.Length > MaxText ? v.Value[..MaxText] : v.Value!, StringComparer.Ordinal);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The source a version's bytes came from: the landing blob, or the uploaded file.</summary>
    public static LineageNode SourceOf(DatasetVersionInfo v) =>
        v.Source is { } source && source.StartsWith(Storage.StorageNames.LandingContainer + "/", StringComparison.Ordinal)
            ? new(LineageKind.Source, source)
            : new(LineageKind.Source, $"upload/{v.Project}/{v.Dataset}/{v.FileName ?? Path.GetFileName(v.RawBlob)}");

    /// <summary>source → raw → dataset-version, when a version is decided (Ready or Failed).</summary>
    public static IReadOnlyList<LineageEdge> Ingested(DatasetVersionInfo v)
    {
        var raw = new LineageNode(LineageKind.Raw, v.RawBlob);
        return
        [
            new(SourceOf(v), LineageEdgeType.IngestedAs, raw, v.CreatedAt, Props(("by", v.IngestedBy), ("contentHash", v.ContentHash))),
            new(raw, LineageEdgeType.CuratedTo, LineageNode.DatasetVersion(v.Project, v.Dataset, v.Version), v.ReadyAt ?? v.CreatedAt,
                Props(("status", v.Status), ("kind", v.Kind), ("format", v.Format))),
        ];
    }

    /// <summary>dataset-version → run, and the run it re-attempts → run.</summary>
    public static IReadOnlyList<LineageEdge> RunStarted(RunInfo run)
    {
        var node = LineageNode.Run(run.RunId);
        var edges = new List<LineageEdge>();
        if (run.DatasetVersion is { } version)
            edges.Add(new(LineageNode.DatasetVersion(run.Project, run.Dataset, version), LineageEdgeType.TrainedIn, node, run.CreatedAt,
                Props(("by", run.RequestedBy), ("trigger", run.Trigger))));
        if (run.PreviousRunId is { } previous)
            edges.Add(new(LineageNode.Run(previous), LineageEdgeType.RerunAs, node, run.CreatedAt,
                Props(("by", run.RequestedBy), ("attempt", Text(run.Attempt)))));
        return edges;
    }

    /// <summary>run → trial.</summary>
    public static LineageEdge Trial(TrialResult trial, DateTimeOffset at) =>
        new(LineageNode.Run(trial.RunId), LineageEdgeType.Produced, LineageNode.Trial(trial.RunId, trial.TrialId), at,
            Props(("trainer", trial.Trainer), ("status", trial.Status.ToString())));

    /// <summary>trial → model-version.</summary>
    public static LineageEdge Registered(ModelVersionInfo model) =>
        new(LineageNode.Trial(model.RunId, model.TrialId), LineageEdgeType.RegisteredAs, LineageNode.ModelVersion(model.Project, model.Version), model.CreatedAt,
            Props(("approvedBy", model.ApprovedBy), ("trainer", model.Trainer)));

    /// <summary>model-version → deployment, for a switch (promotion or rollback) with the environment and from/to versions.</summary>
    public static LineageEdge Deployed(DeploymentChange change) =>
        new(LineageNode.ModelVersion(change.Project, change.ToVersion ?? 0), LineageEdgeType.DeployedAs,
            LineageNode.Deployment(change.Project, change.Environment, change.Sequence), change.At,
            Props(("environment", change.Environment), ("action", change.Action), ("from", change.FromVersion is { } from ? Text(from) : null),
                ("to", change.ToVersion is { } to ? Text(to) : null), ("by", change.By), ("reason", change.Reason)));

    /// <summary>
    /// deployment → monitoring-report (the switch that put the model in the environment; a state older than the change
    /// history has no sequence, then the model version is the source).
    /// </summary>
    public static LineageEdge Monitored(string project, string reportId, int modelVersion, long deploymentSequence, DateTimeOffset at, bool alert) =>
        new(deploymentSequence > 0 ? LineageNode.Deployment(project, DeploymentEnvironment.Production, deploymentSequence) : LineageNode.ModelVersion(project, modelVersion),
            LineageEdgeType.MonitoredBy, LineageNode.MonitoringReport(project, reportId), at, Props(("alert", alert ? "true" : "false")));

    /// <summary>monitoring-report → run, when a report's retraining request started the run.</summary>
    public static LineageEdge Triggered(string project, string reportId, RunInfo run) =>
        new(LineageNode.MonitoringReport(project, reportId), LineageEdgeType.Triggered, LineageNode.Run(run.RunId), run.CreatedAt, Props(("trigger", run.Trigger)));

    /// <summary>dataset-version → batch ← model-version, when a batch scoring ends (completed or failed).</summary>
    public static IReadOnlyList<LineageEdge> BatchScored(Serving.BatchScoringInput batch, string status, long rowsScored)
    {
        var node = LineageNode.Batch(batch.Project, batch.BatchId);
        var facts = Props(("by", batch.By), ("rows", batch.Rows), ("status", status), ("rowsScored", rowsScored.ToString(CultureInfo.InvariantCulture)));
        return
        [
            new(LineageNode.DatasetVersion(batch.Project, batch.Dataset, batch.DatasetVersion), LineageEdgeType.ScoredIn, node, batch.RequestedAt, facts),
            new(LineageNode.ModelVersion(batch.Project, batch.ModelVersion), LineageEdgeType.Scored, node, batch.RequestedAt, facts),
        ];
    }
}
