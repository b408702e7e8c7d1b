using System.Text.Json.Serialization;
using Orchestrator.Workflows.Serving;

namespace Orchestrator.Http.Application.Batches;

/// <summary>
/// A batch scoring request: the dataset and its version to score (the latest when absent), and which rows — all
/// (default) or only those without the label, the rows training left out.
/// </summary>
public sealed record BatchRequest(string? Dataset, int? Version, string? Rows);

/// <summary>
/// A batch scoring: what it scores with which model version, how far it is (parts done of the version's curated parts,
/// rows read and scored), where its Parquet output and manifest are in the <c>predictions</c> container, and why it
/// failed when it did. <c>status</c>: Running, Completed or Failed.
/// </summary>
public sealed record BatchView(
    string BatchId, string Project, int ModelVersion, string Dataset, int DatasetVersion, string Rows, string Status,
    int? PartsTotal, int PartsDone, long RowsRead, long RowsScored, string OutputPrefix, string StatusUrl,
    string? RequestedBy, DateTimeOffset RequestedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Manifest = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? PredictionColumns = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BatchPartResult>? Parts = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CompletedAt = null);
