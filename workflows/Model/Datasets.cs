using Orchestrator.Workflows.DataLake;

namespace Orchestrator.Workflows.Model;

/// <summary>Column types the lake infers and ML.NET consumes.</summary>
public static class ColumnType
{
    public const string Number = "number";
    public const string Boolean = "boolean";
    public const string Date = "date";
    public const string Categorical = "categorical";
    public const string Text = "text";

    public static readonly IReadOnlyList<string> All = [Number, Boolean, Date, Categorical, Text];

    /// <summary>True for the types whose values are measured on a line (moments, histograms, ranges).</summary>
    public static bool IsNumeric(string type) => type is Number or Date;
}

/// <summary>One column of a curated dataset.</summary>
public sealed record ColumnSchema(string Name, string Type, bool Nullable, int Distinct);

/// <summary>Schema of a curated dataset version.</summary>
public sealed record DatasetSchema(IReadOnlyList<ColumnSchema> Columns)
{
    public ColumnSchema? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>A rejected input row and why (one entry per failed check; a row may have several).</summary>
public sealed record QuarantinedRow(long Row, string Column, string Reason);

/// <summary>What cleaning changed, with counts (reported per version).</summary>
public sealed record CleaningCounts(
    long TrimmedCells, long MissingTokens, long CoercedCells, long DuplicateRows, long DuplicatesRemoved, long KeyViolations);

/// <summary>A dataset-level rule and whether the version passed it.</summary>
public sealed record RuleResult(string Rule, bool Passed, string Detail);

/// <summary>Data-quality report of one ingested version (stored as JSON in <c>reports</c>).</summary>
public sealed record DataQualityReport(
    string Project, string Dataset, int Version, string Format, string ContentHash,
    long RowsIn, long RowsOut, long RowsQuarantined, DatasetSchema Schema,
    IReadOnlyList<QuarantinedRow> QuarantineSample, DateTimeOffset CreatedAt,
    IReadOnlyList<ColumnProfile>? Profiles = null, CleaningCounts? Cleaning = null, IReadOnlyList<RuleResult>? Rules = null,
    DatasetExpectations? Expectations = null, int Chunks = 1, double Seconds = 0);

/// <summary>What a dataset version holds: a table (curated into columns) or a file kept as-is (image, text, PDF …).</summary>
public static class DatasetKind
{
    public const string Tabular = "tabular";
    public const string File = "file";
}

/// <summary>A dataset version as the catalog tables hold it. Immutable once Ready or Failed.</summary>
public sealed record DatasetVersionInfo(
    string Project, string Dataset, int Version, string Status, string Format, string ContentType,
    string RawBlob, string? CuratedBlob, string? ReportBlob, string? ContentHash,
    long RowsIn, long RowsOut, long RowsQuarantined, string? Error, DateTimeOffset CreatedAt,
    string Kind = DatasetKind.Tabular, long Bytes = 0, string? Source = null, string? IngestedBy = null, string? FileName = null,
    IReadOnlyList<QuarantinedRow>? Problems = null, DateTimeOffset? ReadyAt = null);

/// <summary>Status of a dataset version.</summary>
public static class DatasetStatus
{
    public const string Pending = "Pending";
    public const string Ready = "Ready";
    public const string Failed = "Failed";
}

/// <summary>Checks one column must pass; each failure sends the row to quarantine with the reason.</summary>
public sealed record ColumnExpectation(
    string? Type = null, bool? NotNull = null, double? Min = null, double? Max = null,
    IReadOnlyList<string>? AllowedValues = null, double? MaxNullShare = null);

/// <summary>
/// Expectations of a dataset (a Great Expectations suite in small): declared on the dataset, inferred on its first
/// ingest (required columns, types, not-null), declared ones winning. Row checks quarantine rows; dataset rules
/// (required columns, rejected share, null share) fail the version.
/// </summary>
public sealed record DatasetExpectations(
    IReadOnlyList<string>? RequiredColumns = null,
    IReadOnlyDictionary<string, ColumnExpectation>? Columns = null,
    IReadOnlyList<string>? Key = null,
    string? Deduplicate = null,
    double? MaxRejectedShare = null)
{
    /// <summary>Share of rejected rows above which a version fails, unless declared: 5%.</summary>
    public const double DefaultMaxRejectedShare = 0.05;

    public double RejectedShareLimit => MaxRejectedShare ?? DefaultMaxRejectedShare;

    public ColumnExpectation? For(string column) => Columns is not null && Columns.TryGetValue(column, out var e) ? e : null;

    /// <summary>This suite with <paramref name="declared"/> on top: declared fields win, column by column.</summary>
    public DatasetExpectations Overlay(DatasetExpectations? declared)
    {
        if (declared is null) return this;
        var columns = new Dictionary<string, ColumnExpectation>(Columns ?? new Dictionary<string, ColumnExpectation>(), StringComparer.Ordinal);
        foreach (var (name, d) in declared.Columns ?? new Dictionary<string, ColumnExpectation>())
        {
            var b = columns.GetValueOrDefault(name) ?? new ColumnExpectation();
            columns[name] = new ColumnExpectation(d.Type ?? b.Type, d.NotNull ?? b.NotNull, d.Min ?? b.Min, d.Max ?? b.Max,
                d.AllowedValues ?? b.AllowedValues, d.MaxNullShare ?? b.MaxNullShare);
        }
        return new DatasetExpectations(declared.RequiredColumns ?? RequiredColumns, columns, declared.Key ?? Key,
            declared.Deduplicate ?? Deduplicate, declared.MaxRejectedShare ?? MaxRejectedShare);
    }
}

/// <summary>How duplicates are handled: kept and counted (default), or removed by whole row or by key.</summary>
public static class DeduplicateMode
{
    public const string None = "none";
    public const string Row = "row";
    public const string Key = "key";
}

/// <summary>A dataset in the catalog: who owns it, what it is, how to find it, and what its data must satisfy.</summary>
public sealed record DatasetInfo(
    string Project, string Dataset, string? Owner, string? Description, IReadOnlyList<string> Tags,
    DatasetExpectations? Expectations, DatasetExpectations? InferredExpectations,
    int? LatestVersion, IReadOnlyList<string> Columns, string Kind, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<string>? RestrictedTo = null);
