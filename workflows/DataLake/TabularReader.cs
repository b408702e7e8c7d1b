using System.Text;
using System.Text.Json;

namespace Orchestrator.Workflows.DataLake;

/// <summary>Reads CSV (delimiter detection, quotes, BOM, CRLF) and JSON arrays of objects into <see cref="TabularData"/>.</summary>
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

    public static TabularData Read(Stream stream, string format) => format switch
    {
        DataFormat.Csv => ReadCsv(stream),
        DataFormat.Json => ReadJson(stream),
        DataFormat.JsonLines => ReadJsonLines(stream),
        _ => throw new InvalidDataFileException($"Unsupported format '{format}'."),
    };

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
        try { CheckHeader(SplitRecord(new StringReader(lines[0].TrimEnd('\r') + "\n"), delimiter, out _)!.Select(h => h.Trim()).ToList()); }
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

    public static TabularData ReadCsv(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var firstLine = reader.ReadLine() ?? throw new InvalidDataFileException("The file is empty.");
        var delimiter = DetectDelimiter(firstLine) ?? ','; // no separator in the header: a single column
        var header = SplitRecord(new StringReader(firstLine + "\n"), delimiter, out _)!;
        var columns = header.Select(h => h.Trim()).ToList();
        CheckHeader(columns);

        var data = new TabularData(columns);
        var line = 1;
        while (true)
        {
            var fields = SplitRecord(reader, delimiter, out var linesRead);
            if (fields is null) break;
            line += linesRead;
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            if (fields.Count != columns.Count)
                throw new InvalidDataFileException($"Line {line}: expected {columns.Count} fields, found {fields.Count}.");
            data.Rows.Add(fields.Select(f => (string?)f).ToArray());
        }
        return data;
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

    /// <summary>Reads one RFC 4180 record (quoted fields may span lines); null at end of input.</summary>
    internal static List<string>? SplitRecord(TextReader reader, char delimiter, out int linesRead, long startLine = 0)
    {
        linesRead = 0;
        var first = reader.Peek();
        if (first < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        while (true)
        {
            var next = reader.Read();
            if (next < 0)
            {
                if (quoted) throw new InvalidDataFileException(startLine > 0
                    ? $"Line {startLine}: a quoted field is never closed (the file ends inside it)."
                    : "The file ends inside a quoted field.");
                fields.Add(wasQuoted ? field.ToString() : field.ToString());
                linesRead++;
                return fields;
            }
            var c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') linesRead++;
                    field.Append(c);
                }
                continue;
            }
            if (c == '"' && field.Length == 0 && !wasQuoted) { quoted = true; wasQuoted = true; }
            else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); wasQuoted = false; }
            else if (c == '\r') { /* CRLF: the \n ends the record */ }
            else if (c == '\n') { fields.Add(field.ToString()); linesRead++; return fields; }
            else field.Append(c);
        }
    }

    /// <summary>One JSON object per line (blank lines skipped); errors name the line.</summary>
    public static TabularData ReadJsonLines(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var records = new List<JsonElement>();
        var documents = new List<JsonDocument>();
        try
        {
            var line = 0;
            for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                JsonDocument document;
                try { document = JsonDocument.Parse(text); }
                catch (JsonException e) { throw new InvalidDataFileException($"Line {line}: invalid JSON: {e.Message}"); }
                documents.Add(document);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataFileException($"Line {line}: expected an object, found {document.RootElement.ValueKind}.");
                records.Add(document.RootElement);
            }
            return FromObjects(records);
        }
        finally
        {
            foreach (var d in documents) d.Dispose();
        }
    }

    private static TabularData FromObjects(IEnumerable<JsonElement> elements)
    {
        var columns = new List<string>();
        var index = new HashSet<string>(StringComparer.Ordinal);
        var records = new List<Dictionary<string, string?>>();
        foreach (var element in elements)
        {
            var record = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (index.Add(property.Name)) columns.Add(property.Name);
                record[property.Name] = Cell(property.Value);
            }
            records.Add(record);
        }
        var data = new TabularData(columns);
        foreach (var record in records)
            data.Rows.Add(columns.Select(c => record.GetValueOrDefault(c)).ToArray());
        return data;
    }

    internal static string? Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    public static TabularData ReadJson(Stream stream)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataFileException($"Invalid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataFileException("A JSON dataset must be an array of objects.");
            var row = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                row++;
                if (element.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataFileException($"Row {row}: expected an object, found {element.ValueKind}.");
            }
            return FromObjects(document.RootElement.EnumerateArray());
        }
    }

    /// <summary>Quotes a CSV field when it needs it.</summary>
    public static string Escape(string? value)
    {
        if (value is null) return "";
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
