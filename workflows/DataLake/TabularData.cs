namespace Orchestrator.Workflows.DataLake;

/// <summary>Rows of string cells under named columns, as read from a source file (null = missing).</summary>
public sealed class TabularData(IReadOnlyList<string> columns)
{
    public IReadOnlyList<string> Columns { get; } = columns;
    public List<string?[]> Rows { get; } = [];

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (Columns[i] == column) return i;
        return -1;
    }
}

/// <summary>A file that cannot be read as the format it claims, with where and why.</summary>
public sealed class InvalidDataFileException(string message) : Exception(message);

/// <summary>Source formats the lake accepts.</summary>
public static class DataFormat
{
    public const string Csv = "csv";
    public const string Json = "json";
    public const string JsonLines = "jsonl";

    /// <summary>Maps an HTTP content type to a format, or null when it is not supported.</summary>
    public static string? FromContentType(string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "text/csv" or "application/csv" or "text/plain" => Csv,
            "application/json" or "text/json" => Json,
            "application/x-ndjson" or "application/jsonl" or "application/json-lines" or "application/jsonlines" => JsonLines,
            _ => null,
        };
    }

    /// <summary>Maps a file name's extension to a format, or null when it is not supported.</summary>
    public static string? FromFileName(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".csv" => Csv,
        ".json" => Json,
        ".jsonl" or ".ndjson" => JsonLines,
        _ => null,
    };

    public static string ContentType(string format) => format switch
    {
        Json => "application/json",
        JsonLines => "application/x-ndjson",
        _ => "text/csv",
    };

    public static string FileName(string format) => format switch
    {
        Json => "source.json",
        JsonLines => "source.jsonl",
        _ => "source.csv",
    };
}
