using System.Globalization;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.DataLake;

/// <summary>Result of curating a source table: typed rows, the inferred schema and the rows set aside.</summary>
public sealed record CurationResult(TabularData Curated, DatasetSchema Schema, IReadOnlyList<QuarantinedRow> Quarantined, int RowsQuarantined);

/// <summary>
/// Infers a column type from the values (a type wins when at least 95% of present values fit it), then coerces each
/// cell; a row with a value that does not fit is quarantined with the reason. A row without a label is kept (training
/// leaves it out) unless <c>requireLabel</c> says the label must be there, as a declared <c>notNull</c> does at ingestion.
/// </summary>
public static class DatasetCurator
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd HH:mm:ss", "O"];

    /// <summary>Share of quarantined rows above which the whole version is refused.</summary>
    public const double MaxQuarantineShare = 0.5;

    public static CurationResult Curate(TabularData source, string? labelColumn, bool requireLabel = false)
    {
        var columnCount = source.Columns.Count;
        var normalized = source.Rows.Select(r => r.Select(TabularReader.Normalize).ToArray()).ToList();
        var types = new string[columnCount];
        for (var c = 0; c < columnCount; c++)
            types[c] = InferType(normalized.Select(r => r[c]));

        var labelIndex = labelColumn is null || !requireLabel ? -1 : source.IndexOf(labelColumn);
        var curated = new TabularData(source.Columns);
        var quarantined = new List<QuarantinedRow>();
        var quarantinedRows = 0;
        for (var r = 0; r < normalized.Count; r++)
        {
            var row = normalized[r];
            var output = new string?[columnCount];
            string? reason = null;
            string? reasonColumn = null;
            for (var c = 0; c < columnCount && reason is null; c++)
            {
                var value = row[c];
                if (value is null)
                {
                    if (c == labelIndex) (reason, reasonColumn) = ("the label is missing", source.Columns[c]);
                    continue;
                }
                var coerced = Coerce(value, types[c]);
                if (coerced is null) (reason, reasonColumn) = ($"'{Truncate(value)}' is not a {types[c]}", source.Columns[c]);
                output[c] = coerced;
            }
            if (reason is not null)
            {
                quarantinedRows++;
                // Row numbers are 1-based data rows (the header is not counted).
                if (quarantined.Count < 1000) quarantined.Add(new QuarantinedRow(r + 1, reasonColumn!, reason));
                continue;
            }
            curated.Rows.Add(output);
        }

        var schema = new DatasetSchema(source.Columns.Select((name, c) => new ColumnSchema(
            name, types[c],
            Nullable: curated.Rows.Any(row => row[c] is null),
            Distinct: curated.Rows.Select(row => row[c]).Distinct().Count())).ToList());
        return new CurationResult(curated, schema, quarantined, quarantinedRows);
    }

    internal static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

    internal static string InferType(IEnumerable<string?> values)
    {
        var evidence = new TypeEvidence();
        foreach (var v in values)
            if (v is not null) evidence.Add(v);
        return evidence.InferType();
    }

    /// <summary>Canonical text of <paramref name="value"/> as <paramref name="type"/>, or null when it does not fit.</summary>
    public static string? Coerce(string value, string type) => Coerce(value, type, out _, out _);

    /// <summary>
    /// Canonical text of <paramref name="value"/> as <paramref name="type"/>, or null when it does not fit, with what
    /// the parse found, so that nothing downstream parses the value again: <paramref name="number"/> is a number
    /// column's value or a date column's days since 1970-01-01, <paramref name="date"/> a date column's date.
    /// </summary>
    public static string? Coerce(string value, string type, out double number, out DateTime date)
    {
        number = 0;
        date = default;
        switch (type)
        {
            case ColumnType.Number:
                // Values already in canonical form (most of them) are returned as they are: no new string per cell.
                if (TryCanonicalInteger(value, out var integer)) { number = integer; return value; }
                return TryNumber(value, out number) ? number.ToString("R", CultureInfo.InvariantCulture) : null;
            case ColumnType.Boolean:
                return TryBoolean(value, out var b) ? (b ? "true" : "false") : null;
            case ColumnType.Date:
                if (!TryDate(value, out date)) return null;
                var canonical = CanonicalDate(value, date);
                // The canonical text keeps whole seconds; the parsed date must say what the text says.
                date = new DateTime(date.Ticks - date.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
                number = DaysSinceEpoch(date);
                return canonical;
            default:
                return value;
        }
    }

    private static string CanonicalDate(string value, DateTime date)
    {
        var midnight = date.TimeOfDay == TimeSpan.Zero;
        var iso = value.Length >= 10 && value[4] == '-' && value[7] == '-';
        if (iso && (midnight ? value.Length == 10 : value.Length == 19 && value[10] == 'T'))
            return value; // already yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss (19 characters hold no fraction of a second)
        return date.ToString(midnight ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// An integer as double's "R" format writes it: optional '-', no leading zero, at most 15 digits (so its value,
    /// read digit by digit, is exact in a double).
    /// </summary>
    private static bool TryCanonicalInteger(string value, out long integer)
    {
        integer = 0;
        var start = value.Length > 0 && value[0] == '-' ? 1 : 0;
        var digits = value.Length - start;
        if (digits is < 1 or > 15 || (value[start] == '0' && (digits > 1 || start == 1))) return false;
        for (var i = start; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i])) return false;
            integer = integer * 10 + (value[i] - '0');
        }
        if (start == 1) integer = -integer;
        return true;
    }

    public static bool TryNumber(string value, out double number)
    {
        // Plain integers (most numeric cells) are read digit by digit, exactly; the rest by the framework's parser.
        if (TryCanonicalInteger(value, out var integer))
        {
            number = integer;
            return true;
        }
        number = 0;
        // Text that cannot start a finite number (a letter: a category, "NaN", "Infinity") is refused without the parser.
        if (value.Length == 0 || !(char.IsAsciiDigit(value[0]) || value[0] is '-' or '+' or '.' or '\u2212' || char.IsWhiteSpace(value[0])))
            return false;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    public static bool TryBoolean(string value, out bool result)
    {
        result = false;
        if (value.Length is < 2 or > 5) return false;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase)) return result = true;
        return value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A date as days since 1970-01-01 (how dates are measured in statistics and histograms).</summary>
    public static double DaysSinceEpoch(DateTime date) => (date - DateTime.UnixEpoch).TotalDays;

    public static bool TryDate(string value, out DateTime date)
    {
        // ISO dates and date-times without zone are most of what arrives; read them without the format list.
        if (value.Length is 10 or 19 && TryIsoDate(value, out date)) return true;
        date = default;
        // Every accepted format starts with a four-digit year: anything else is not a date, without trying them all.
        return value.Length >= 10 && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[3]) && TryDateFormats(value, out date);
    }

    private static bool TryIsoDate(string v, out DateTime date)
    {
        date = default;
        static int Digits(string s, int at, int count)
        {
            var n = 0;
            for (var i = at; i < at + count; i++)
            {
                if (!char.IsAsciiDigit(s[i])) return -1;
                n = n * 10 + (s[i] - '0');
            }
            return n;
        }
        if (v[4] != '-' || v[7] != '-') return false;
        int year = Digits(v, 0, 4), month = Digits(v, 5, 2), day = Digits(v, 8, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        if (v.Length == 10)
        {
            date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
            return true;
        }
        if (v[10] is not ('T' or ' ') || v[13] != ':' || v[16] != ':') return false;
        int hour = Digits(v, 11, 2), minute = Digits(v, 14, 2), second = Digits(v, 17, 2);
        if (hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59) return false;
        date = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool TryDateFormats(string value, out DateTime date) =>
        DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date);
}

/// <summary>
/// What the values of one column look like, gathered in one pass: how many parse as numbers, booleans or dates, their
/// ranges, and the distinct values up to a cap. A type wins when at least 90% of present values fit it; text with few
/// distinct values is categorical.
/// </summary>
public sealed class TypeEvidence
{
    private const double TypeShare = 0.9;
    private const int MaxCategories = 50;

    /// <summary>Distinct values are tracked up to this many; beyond it a column is not categorical.</summary>
    public const int DistinctCap = 1000;

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);

    public long Present { get; private set; }
    public long Numbers { get; private set; }
    public long Booleans { get; private set; }
    public long Dates { get; private set; }
    public double NumberMin { get; private set; } = double.PositiveInfinity;
    public double NumberMax { get; private set; } = double.NegativeInfinity;
    public double DateMin { get; private set; } = double.PositiveInfinity;
    public double DateMax { get; private set; } = double.NegativeInfinity;

    /// <summary>Distinct present values, capped at <see cref="DistinctCap"/> + 1.</summary>
    public int Distinct => _distinct.Count;

    /// <summary>Adds a present (normalized, non-null) value.</summary>
    public void Add(string value)
    {
        Present++;
        if (_distinct.Count <= DistinctCap) _distinct.Add(value);
        // The three shapes exclude each other, so one successful parse per value is enough.
        if (DatasetCurator.TryNumber(value, out var number))
        {
            Numbers++;
            if (number < NumberMin) NumberMin = number;
            if (number > NumberMax) NumberMax = number;
        }
        else if (DatasetCurator.TryBoolean(value, out _)) Booleans++;
        else if (DatasetCurator.TryDate(value, out var date))
        {
            Dates++;
            var days = DatasetCurator.DaysSinceEpoch(date);
            if (days < DateMin) DateMin = days;
            if (days > DateMax) DateMax = days;
        }
    }

    public string InferType()
    {
        if (Present == 0) return ColumnType.Text;
        if (Numbers >= TypeShare * Present) return ColumnType.Number;
        if (Booleans >= TypeShare * Present) return ColumnType.Boolean;
        if (Dates >= TypeShare * Present) return ColumnType.Date;
        return Distinct <= Math.Min(DistinctCap, Math.Max(MaxCategories, Present / 20)) && Distinct < Present ? ColumnType.Categorical : ColumnType.Text;
    }

    /// <summary>Range of the values of <paramref name="type"/> (dates as days since 1970-01-01), or null when none.</summary>
    public (double Min, double Max)? Range(string type) => type switch
    {
        ColumnType.Number when Numbers > 0 => (NumberMin, NumberMax),
        ColumnType.Date when Dates > 0 => (DateMin, DateMax),
        _ => null,
    };
}
