using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

namespace Orchestrator.Workflows.DataLake;

/// <summary>CSV and JSON helpers of the lake: missing-value tokens, format sniffing, RFC 4180 records, whole-file reads.</summary>
public static class TabularReader
{
    private static readonly string[] MissingTokens = ["", "NA", "N/A", "null", "NULL", "NaN", "nan", "None"];

    /// <summary>Trimmed value, or null for the usual missing-value tokens.</summary>
    public static string? Normalize(string? raw)
    {
        if (raw is null) return null;
        // Most cells: longer than any missing token and not padded — nothing to do.
        if (raw.Length > 4 && !char.IsWhiteSpace(raw[0]) && !char.IsWhiteSpace(raw[^1])) return raw;
        var trimmed = raw.Trim();
        return MissingTokens.Contains(trimmed, StringComparer.Ordinal) ? null : trimmed;
    }

    /// <summary>
    /// Reads a whole file into memory (small files, tests, tools; ingestion streams through <see cref="RecordSource"/>
    /// instead): the same parser, with a row problem (ragged row, a line that is not an object) thrown instead of
    /// quarantined.
    /// </summary>
    public static async Task<TabularData> ReadAsync(Stream stream, string format, CancellationToken ct = default)
    {
        var shape = RecordSource.Discover();
        var rows = new List<string?[]>();
        await foreach (var record in RecordSource.ReadAsync(stream, format, shape, ct: ct))
            rows.Add(record.Cells ?? throw new InvalidDataFileException(record.Line > 0 ? $"Line {record.Line}: {record.Error}." : $"Row {record.Row}: {record.Error}."));
        var data = new TabularData(shape.Columns.ToList());
        // JSON rows read before a key first appeared are shorter: the rest of their cells are missing.
        foreach (var row in rows) data.Rows.Add(row.Length == data.Columns.Count ? row : [.. row, .. new string?[data.Columns.Count - row.Length]]);
        return data;
    }

    public static TabularData Read(Stream stream, string format) => ReadAsync(stream, format).GetAwaiter().GetResult();

    public static TabularData ReadCsv(Stream stream) => Read(stream, DataFormat.Csv);

    public static TabularData ReadJson(Stream stream) => Read(stream, DataFormat.Json);

    public static TabularData ReadJsonLines(Stream stream) => Read(stream, DataFormat.JsonLines);

    /// <summary>Checks the first bytes of a file look like the claimed format; returns the reason when not.</summary>
    /// <param name="head">The first bytes of the file.</param>
    /// <param name="format">The format the file claims.</param>
    /// <param name="complete">True when <paramref name="head"/> is the whole file.</param>
    public static string? Sniff(ReadOnlySpan<byte> head, string format, bool complete = false)
    {
        if (head.Length == 0) return "The file is empty.";
        if (format == DataFormat.Parquet)
            return head.Length >= 4 && head[..4].SequenceEqual("PAR1"u8) ? null : "The file is not Parquet: it does not start with 'PAR1'.";
        if (head.IndexOf((byte)0) >= 0) return "The file contains NUL bytes: it is binary, not text.";
        var text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.Contains('\uFFFD') && head.Length < 64 * 1024) return "The file is not valid UTF-8 text.";
        if (format == DataFormat.Json)
            return text.StartsWith('[') ? null : "A JSON dataset must be an array of objects ('[' expected first).";
        if (format == DataFormat.JsonLines)
            return text.StartsWith('{') ? null : "A JSON Lines dataset has one object per line ('{' expected first).";
        var lines = text.Split('\n');
        var delimiter = DetectDelimiter(lines[0]) ?? ','; // no separator in the header: a single column
        try { CheckHeader(HeaderNames(lines[0].TrimEnd('\r'), delimiter)); }
        catch (InvalidDataFileException e) { return e.Message; }
        if (complete && lines.Skip(1).All(l => l.Trim().Length == 0)) return "The file has a header but no data rows.";
        return null;
    }

    internal static char? DetectDelimiter(string header)
    {
        char? best = null;
        var bestCount = 0;
        foreach (var candidate in new[] { ',', ';', '\t', '|' })
        {
            var count = 0;
            var quoted = false;
            foreach (var c in header)
            {
                if (c == '"') quoted = !quoted;
                else if (c == candidate && !quoted) count++;
            }
            if (count > bestCount) (best, bestCount) = (candidate, count);
        }
        return best;
    }

    /// <summary>Every column has a name, and no name appears twice.</summary>
    internal static void CheckHeader(IReadOnlyList<string> columns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Length == 0) throw new InvalidDataFileException($"Line 1: column {i + 1} has no name.");
            if (!seen.Add(columns[i])) throw new InvalidDataFileException($"Line 1: column name '{columns[i]}' appears twice.");
        }
    }

    /// <summary>The trimmed column names of a header line, split and unquoted by Sep.</summary>
    internal static List<string> HeaderNames(string line, char delimiter)
    {
        using var reader = Csv(delimiter).FromText(line);
        if (!reader.MoveNext()) return [];
        var row = reader.Current;
        var names = new List<string>(row.ColCount);
        for (var i = 0; i < row.ColCount; i++) names.Add(row[i].Span.Trim().ToString());
        return names;
    }

    /// <summary>
    /// Sep's options for the lake's CSV: no header row (the caller reads it, to detect the delimiter), quotes
    /// unescaped, no column-count check (a ragged row is quarantined, not fatal), nothing trimmed (trimming is
    /// counted by the curation).
    /// </summary>
    internal static SepReaderOptions Csv(char delimiter) =>
        Sep.New(delimiter).Reader(o => o with
        {
            HasHeader = false, DisableColCountCheck = true, Unescape = true,
            // Repeated short values (categories, small numbers) share one string per column: fewer allocations, and
            // the rows a chunk buffers for a Parquet row group hold far fewer objects for the GC to move.
            CreateToString = SepToString.PoolPerCol(maximumStringLength: 32),
        });

    internal static string? Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>Quotes a CSV field when it needs it.</summary>
    public static string Escape(string? value)
    {
        if (value is null) return "";
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
