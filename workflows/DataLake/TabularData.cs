namespace Orchestrator.Workflows.DataLake;

/// <summary>Rows of string cells under named columns, as read from a source file (null = missing).</summary>
public sealed class TabularData(IReadOnlyList<string> columns)
{
    public IReadOnlyList<string> Columns { get; } = columns;
    public List<string?[]> Rows { get; } = [];

    /// <summary>Up to <paramref name="max"/> rows spread evenly over the table, as column → value (how serving takes rows).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> SampleRows(int max)
    {
        var step = Math.Max(1, Rows.Count / Math.Max(1, max));
        return Rows.Where((_, i) => i % step == 0).Take(max)
            .Select(row => (IReadOnlyDictionary<string, string?>)Columns.Select((c, i) => (c, row[i])).ToDictionary(x => x.c, x => x.Item2))
            .ToList();
    }

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (Columns[i] == column) return i;
        return -1;
    }
}

/// <summary>A file that cannot be read as the format it claims, with where and why.</summary>
public sealed class InvalidDataFileException(string message) : Exception(message)
{
    /// <summary>The index (from 0) of the row at fault, when one row is.</summary>
    public int? Row { get; init; }
}

/// <summary>Source formats the lake accepts.</summary>
public static class DataFormat
{
    public const string Csv = "csv";
    public const string Json = "json";
    public const string JsonLines = "jsonl";
    public const string Parquet = "parquet";

    /// <summary>Not a table: a file kept as-is (image, text, PDF …), catalogued with its metadata.</summary>
    public const string File = "file";

    public static bool IsTabular(string format) => format is Csv or Json or JsonLines or Parquet;

    /// <summary>Maps an HTTP content type to a format, or null when it is not supported.</summary>
    public static string? FromContentType(string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "text/csv" or "application/csv" or "text/plain" => Csv,
            "application/json" or "text/json" => Json,
            "application/x-ndjson" or "application/jsonl" or "application/json-lines" or "application/jsonlines" => JsonLines,
            "application/vnd.apache.parquet" or "application/x-parquet" or "application/parquet" => Parquet,
            null or "" => null,
            // Anything else that names a real media type is an unstructured file, kept as received.
            "application/x-www-form-urlencoded" => null, // what a client sends when it forgot to say
            _ when media.Contains('/') && !media.StartsWith("multipart/", StringComparison.Ordinal) => File,
            _ => null,
        };
    }

    /// <summary>Maps a file name's extension to a format, or null when it is not supported.</summary>
    public static string? FromFileName(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".csv" => Csv,
        ".json" => Json,
        ".jsonl" or ".ndjson" => JsonLines,
        ".parquet" => Parquet,
        "" => null,
        _ => File,
    };

    public static string ContentType(string format) => format switch
    {
        Json => "application/json",
        JsonLines => "application/x-ndjson",
        Parquet => "application/vnd.apache.parquet",
        File => "application/octet-stream",
        _ => "text/csv",
    };

    /// <summary>Content type of an unstructured file from its extension (what a browser would guess).</summary>
    public static string ContentTypeOfFile(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".pdf" => "application/pdf",
        ".txt" or ".md" or ".log" => "text/plain",
        ".html" or ".htm" => "text/html",
        ".xml" => "application/xml",
        ".zip" => "application/zip",
        _ => "application/octet-stream",
    };

    public static string FileName(string format) => format switch
    {
        Json => "source.json",
        JsonLines => "source.jsonl",
        Parquet => "source.parquet",
        File => "source.bin",
        _ => "source.csv",
    };
}
