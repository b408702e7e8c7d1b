using System.Globalization;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Training;

/// <summary>
/// Slice metrics (<c>evaluation.sliceBy</c>): the task's metrics on the test rows of each value of a categorical
/// column, measured with the trial's saved model on exactly the rows of its seeded test set, and the per-slice KPI gate.
/// Payloads stay small: at most <see cref="MaxColumns"/> columns of at most <see cref="MaxValuesPerColumn"/> values.
/// </summary>
public static class SliceEvaluation
{
    /// <summary>At most this many slice columns per project.</summary>
    public const int MaxColumns = 5;

    /// <summary>The most frequent values of a column (in the test set) that get a slice; rarer ones are not reported.</summary>
    public const int MaxValuesPerColumn = 20;

    /// <summary>
    /// A <c>perSlice</c> KPI is checked only in slices with at least this many test rows: on fewer, one row more or
    /// less right moves accuracy by 10 points or more, which says more about the split than about the model.
    /// </summary>
    public const int MinRowsForKpi = 10;

    /// <summary>The slice of rows with no value in the column.</summary>
    public const string Missing = "(missing)";

    /// <summary>The checks a project definition can have without its data: every problem against its field.</summary>
    public static IEnumerable<(string Field, string Message)> Validate(ProjectDefinition project)
    {
        var sliceBy = project.Evaluation?.SliceBy ?? [];
        if (sliceBy.Count > MaxColumns) yield return ("evaluation.sliceBy", $"At most {MaxColumns} columns.");
        for (var i = 0; i < sliceBy.Count; i++)
        {
            var name = sliceBy[i];
            if (string.IsNullOrWhiteSpace(name)) yield return ($"evaluation.sliceBy[{i}]", "A column name is required.");
            else if (name == project.Label) yield return ($"evaluation.sliceBy[{i}]", "The label cannot be a slice column (the model card has the recall per class).");
            else if (sliceBy.Take(i).Contains(name)) yield return ($"evaluation.sliceBy[{i}]", $"'{name}' is listed twice.");
        }
        var kpis = project.Kpis ?? [];
        for (var i = 0; i < kpis.Count; i++)
            if (kpis[i].PerSlice && sliceBy.Count == 0)
                yield return ($"kpis[{i}].perSlice", "A per-slice KPI needs evaluation.sliceBy, the columns whose values are the slices.");
    }

    /// <summary>The slice columns that a version's schema does not have, or has but not as categories: against their field.</summary>
    public static IEnumerable<(string Field, string Message)> CheckSchema(IReadOnlyList<string>? sliceBy, DatasetSchema schema)
    {
        for (var i = 0; i < (sliceBy?.Count ?? 0); i++)
        {
            var name = sliceBy![i];
            if (schema.Find(name) is not { } column)
                yield return ($"evaluation.sliceBy[{i}]", $"'{name}' is not a column of the dataset ({string.Join(", ", schema.Columns.Select(c => c.Name))}).");
            else if (column.Type is not (ColumnType.Categorical or ColumnType.Boolean))
                yield return ($"evaluation.sliceBy[{i}]", $"'{name}' is a {column.Type} column: slices need a categorical (or true/false) column.");
        }
    }

    /// <summary>
    /// The metrics of each slice of the test set, by column (in <paramref name="sliceBy"/> order) and value (ordinal).
    /// <paramref name="data"/> holds the rows the model was trained and tested on, in the order of its training input.
    /// Throws <see cref="ArgumentException"/> naming the column when the schema has no such categorical column.
    /// </summary>
    public static IReadOnlyList<SliceMetrics> Evaluate(FeatureFrame frame, TabularData data, DatasetSchema schema, byte[] modelZip,
        IReadOnlyList<string>? sliceBy, double testFraction, int seed)
    {
        if (sliceBy is not { Count: > 0 }) return [];
        if (CheckSchema(sliceBy, schema).FirstOrDefault() is { Field: not null } problem)
            throw new ArgumentException($"{problem.Field}: {problem.Message}");
        var test = ModelTrainer.TestRowPositions(data.Rows.Count, testFraction, seed);
        var saved = ModelTrainer.LoadSaved(modelZip, seed);
        var slices = new List<SliceMetrics>();
        foreach (var column in sliceBy)
        {
            var index = data.IndexOf(column);
            var values = test.GroupBy(i => (index < data.Rows[i].Length ? TabularReader.Normalize(data.Rows[i][index]) : null) ?? Missing)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(MaxValuesPerColumn)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var value in values)
            {
                var rows = new TabularData(data.Columns);
                rows.Rows.AddRange(value.Select(i => data.Rows[i]));
                slices.Add(new SliceMetrics(column, value.Key, rows.Rows.Count, MetricsOf(saved, frame, rows)));
            }
        }
        return slices;
    }

    // A slice may hold one class only: an evaluator that cannot measure it (AUC needs both) leaves its metrics out.
    private static Dictionary<string, double> MetricsOf(ModelTrainer.SavedModel saved, FeatureFrame frame, TabularData rows)
    {
        try
        {
            return ModelTrainer.EvaluateRows(saved, frame.Task, frame.ToCsv(rows, withLabel: true))
                .Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => Math.Round(m.Value, 6));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>
    /// The slices of <paramref name="slices"/> that miss a per-slice KPI, in words (<c>microAccuracy 0.62 &lt; 0.7 in
    /// Island=Torgersen (12 test rows)</c>); slices with fewer than <see cref="MinRowsForKpi"/> rows, or without the
    /// metric, are not judged.
    /// </summary>
    public static IEnumerable<string> Misses(IReadOnlyList<SliceMetrics>? slices, IReadOnlyList<Kpi> kpis)
    {
        foreach (var kpi in kpis.Where(k => k.PerSlice))
            foreach (var slice in slices ?? [])
            {
                if (slice.Rows < MinRowsForKpi || !slice.Metrics.TryGetValue(kpi.Metric, out var value) || kpi.IsMetBy(value)) continue;
                var bound = kpi.Min is { } min && value < min ? $"< {F(min)}" : $"> {F(kpi.Max ?? 0)}";
                yield return $"{kpi.Metric} {F(value)} {bound} in {slice.Name} ({slice.Rows} test rows)";
            }
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
