using System.Globalization;
using System.Text;
using Microsoft.ML.Data;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Training;

/// <summary>Kinds of model input columns.</summary>
public static class InputKind
{
    public const string Number = "number";
    public const string Categorical = "categorical";
    public const string Text = "text";
    public const string Label = "label";
    public const string DateYear = "date.year";
    public const string DateMonth = "date.month";
    public const string DateDayOfYear = "date.dayOfYear";
    public const string DateDayOfWeek = "date.dayOfWeek";
}

/// <summary>One column the model reads: where its value comes from and the ML.NET-safe name it gets.</summary>
public sealed record InputColumn(string Source, string Name, string Kind, string SourceType);

/// <summary>
/// The model's input contract, built once from the schema and the project, and used identically to write training
/// rows and prediction rows. Column names keep the source's; ML.NET sees safe names (<c>f0_temp_max</c>).
/// Dates become year/month/day-of-year/day-of-week numbers; the fitted normalisation and one-hot encoding live in the
/// saved model, so prediction takes raw rows.
/// </summary>
public sealed record FeatureFrame(string Task, string Label, IReadOnlyList<InputColumn> Columns, Featurization? Featurization = null,
    IReadOnlyDictionary<string, double>? Fill = null)
{
    /// <summary>
    /// Median or constant replacement (which ML.NET's transforms lack) is done here, with the values fixed when the
    /// frame is made from the training data and saved with the model, so serving fills exactly as training did.
    /// </summary>
    public FeatureFrame WithFill(TabularData data)
    {
        var mode = Preparation.MissingValues;
        if (mode is not ("median" or "constant")) return this;
        var fill = new Dictionary<string, double>();
        foreach (var column in FeatureColumns.Where(c => c.Kind == InputKind.Number).Select(c => c.Source).Distinct())
        {
            if (mode == "constant") { fill[column] = Preparation.MissingConstant; continue; }
            var index = data.IndexOf(column);
            var values = data.Rows.Select(r => TabularReader.Normalize(r[index])).Where(v => v is not null && DatasetCurator.TryNumber(v, out _))
                .Select(v => double.Parse(v!, CultureInfo.InvariantCulture)).Order().ToList();
            fill[column] = values.Count == 0 ? 0 : values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
        }
        return this with { Fill = fill };
    }

    public Featurization Preparation => Featurization ?? new Featurization();

    public InputColumn LabelColumn => Columns.Single(c => c.Kind == InputKind.Label);
    public IEnumerable<InputColumn> FeatureColumns => Columns.Where(c => c.Kind != InputKind.Label);
    /// <summary>Source columns a prediction row must carry.</summary>
    public IEnumerable<InputColumn> RequiredSources => FeatureColumns.DistinctBy(c => c.Source);

    /// <summary>Builds the frame; throws <see cref="ArgumentException"/> naming the column when the project does not fit the data.</summary>
    public static FeatureFrame Create(DatasetSchema schema, ProjectDefinition project)
    {
        var label = schema.Find(project.Label) ?? throw new ArgumentException($"The label column '{project.Label}' is not in the dataset.");
        var features = project.Features is { Count: > 0 } chosen
            ? chosen.Select(f => schema.Find(f) ?? throw new ArgumentException($"The feature column '{f}' is not in the dataset.")).ToList()
            : schema.Columns.Where(c => c.Name != project.Label).ToList();
        var excluded = project.Featurization?.Exclude ?? [];
        foreach (var name in excluded)
            if (schema.Find(name) is null) throw new ArgumentException($"The excluded column '{name}' is not in the dataset.");
        features = features.Where(f => !excluded.Contains(f.Name)).ToList();
        if (project.Task == MlTask.Binary && label.Type is not (ColumnType.Boolean or ColumnType.Number))
            throw new ArgumentException($"A binary task needs a true/false or 0/1 label; '{label.Name}' is {label.Type}.");
        if (project.Task == MlTask.Regression && label.Type != ColumnType.Number)
            throw new ArgumentException($"A regression task needs a numeric label; '{label.Name}' is {label.Type}.");

        var columns = new List<InputColumn>();
        string Safe(string source, string suffix = "")
        {
            var cleaned = new string(source.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());
            return $"f{columns.Count}_{cleaned}{suffix}";
        }
        foreach (var f in features)
        {
            switch (f.Type)
            {
                case ColumnType.Number or ColumnType.Boolean:
                    columns.Add(new InputColumn(f.Name, Safe(f.Name), InputKind.Number, f.Type));
                    break;
                case ColumnType.Date:
                    foreach (var kind in new[] { InputKind.DateYear, InputKind.DateMonth, InputKind.DateDayOfYear, InputKind.DateDayOfWeek })
                        columns.Add(new InputColumn(f.Name, Safe(f.Name, "_" + kind[5..]), kind, f.Type));
                    break;
                case ColumnType.Categorical:
                    columns.Add(new InputColumn(f.Name, Safe(f.Name), InputKind.Categorical, f.Type));
                    break;
                default:
                    columns.Add(new InputColumn(f.Name, Safe(f.Name), InputKind.Text, f.Type));
                    break;
            }
        }
        columns.Add(new InputColumn(label.Name, "Label_" + Safe(label.Name), InputKind.Label, label.Type));
        return new FeatureFrame(project.Task, label.Name, columns, project.Featurization);
    }

    /// <summary>ML.NET loader columns, by position in the rows <c>ToCsv</c> writes.</summary>
    public TextLoader.Column[] LoaderColumns() => Columns.Select((c, i) => new TextLoader.Column(c.Name, KindOf(c), i)).ToArray();

    private DataKind KindOf(InputColumn column) => column.Kind switch
    {
        InputKind.Categorical or InputKind.Text => DataKind.String,
        InputKind.Label => Task switch
        {
            MlTask.Binary => DataKind.Boolean,
            MlTask.Regression => DataKind.Single,
            _ => DataKind.String,
        },
        _ => DataKind.Single,
    };

    /// <summary>Writes a table's rows as model input (column positions looked up once, not per cell).</summary>
    public string ToCsv(TabularData data, bool withLabel)
    {
        var index = data.Columns.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        return ToCsv(data.Rows.Select(row => (Func<string, string?>)(name => index.TryGetValue(name, out var i) ? row[i] : null)), withLabel);
    }

    /// <summary>
    /// Writes rows (source column → value, null = missing) as headerless CSV in loader order.
    /// Throws <see cref="InvalidDataFileException"/> naming row and column when a value does not fit its type.
    /// </summary>
    public string ToCsv(IEnumerable<Func<string, string?>> rows, bool withLabel)
    {
        var text = new StringBuilder();
        var rowNumber = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < Columns.Count; i++)
            {
                var column = Columns[i];
                if (i > 0) text.Append(',');
                if (column.Kind == InputKind.Label && !withLabel) continue;
                text.Append(TabularReader.Escape(Cell(column, row(column.Source), rowNumber)));
            }
            text.Append('\n');
            rowNumber++;
        }
        return text.ToString();
    }

    /// <summary>The model-input text of one cell, as <c>ToCsv</c> writes it (null = missing); throws naming row and column.</summary>
    public string? CellText(int column, string? raw, int row) => Cell(Columns[column], raw, row);

    private string? Cell(InputColumn column, string? raw, int row)
    {
        var value = TabularReader.Normalize(raw);
        if (value is null && column.Kind == InputKind.Number && Fill?.TryGetValue(column.Source, out var filled) == true)
            return filled.ToString("R", CultureInfo.InvariantCulture);
        if (value is null) return null;
        string Fail(string what) => throw new InvalidDataFileException($"Row {row}, column '{column.Source}': '{value}' is not {what}.") { Row = row };
        switch (column.Kind)
        {
            case InputKind.Number when column.SourceType == ColumnType.Boolean:
                return DatasetCurator.TryBoolean(value, out var b) ? (b ? "1" : "0") : Fail("true or false");
            case InputKind.Number:
                return DatasetCurator.TryNumber(value, out var d) ? d.ToString("R", CultureInfo.InvariantCulture) : Fail("a number");
            case InputKind.Label when Task == MlTask.Binary:
                if (DatasetCurator.TryBoolean(value, out var lb)) return lb ? "true" : "false";
                return DatasetCurator.TryNumber(value, out var ln) ? (ln != 0 ? "true" : "false") : Fail("true or false");
            case InputKind.Label when Task == MlTask.Regression:
                return DatasetCurator.TryNumber(value, out var lr) ? lr.ToString("R", CultureInfo.InvariantCulture) : Fail("a number");
            case InputKind.DateYear or InputKind.DateMonth or InputKind.DateDayOfYear or InputKind.DateDayOfWeek:
                if (!DatasetCurator.TryDate(value, out var date)) return Fail("a date (yyyy-MM-dd)");
                var part = column.Kind switch
                {
                    InputKind.DateYear => date.Year,
                    InputKind.DateMonth => date.Month,
                    InputKind.DateDayOfYear => date.DayOfYear,
                    _ => (int)date.DayOfWeek,
                };
                return part.ToString(CultureInfo.InvariantCulture);
            default:
                return value;
        }
    }
}

/// <summary>Feeds text already in memory to an ML.NET loader.</summary>
internal sealed class InMemoryTextSource(string text) : IMultiStreamSource
{
    public int Count => 1;
    public string? GetPathOrNull(int index) => null;
    public Stream Open(int index) => new MemoryStream(Encoding.UTF8.GetBytes(text));
    public TextReader OpenTextReader(int index) => new StringReader(text);
}
