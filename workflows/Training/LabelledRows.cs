using System.Globalization;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Training;

/// <summary>
/// The rows training may learn from: those that have a label. A curated version keeps its unlabelled rows (they are
/// data, and batch scoring scores them); every step that trains or evaluates on the version — trials, folds, the
/// champion's evaluation, the model card — drops them before the seeded split, so all of them see the same rows.
/// </summary>
public static class LabelledRows
{
    /// <summary>
    /// The rows of <paramref name="data"/> with a value in <paramref name="label"/> (the same table when every row has
    /// one, else a new table sharing the row arrays), and how many were left out and why.
    /// </summary>
    public static (TabularData Data, TrainingRows Rows) Of(TabularData data, string label)
    {
        var index = data.IndexOf(label);
        if (index < 0) return (data, new TrainingRows(data.Rows.Count, 0, null)); // the frame names the missing column
        var unlabelled = 0;
        foreach (var row in data.Rows)
            if (IsUnlabelled(row, index)) unlabelled++;
        if (unlabelled == 0) return (data, new TrainingRows(data.Rows.Count, 0, null));

        var labelled = new TabularData(data.Columns);
        labelled.Rows.Capacity = data.Rows.Count - unlabelled;
        foreach (var row in data.Rows)
            if (!IsUnlabelled(row, index)) labelled.Rows.Add(row);
        return (labelled, new TrainingRows(labelled.Rows.Count, unlabelled, Reason(label, unlabelled, data.Rows.Count)));
    }

    /// <summary>Why rows were left out, in words a data scientist and an SME read on the trial, the run and the model card.</summary>
    public static string Reason(string label, long unlabelled, long rows) => string.Create(CultureInfo.InvariantCulture,
        $"{unlabelled} of {rows} rows ({(double)unlabelled / rows:P1}) have no value for the label '{label}': they stay in the dataset version, and training, validation and test leave them out");

    /// <summary>Whether a curated row has no label (the label at <paramref name="index"/>): the rows batch scoring is for.</summary>
    public static bool IsUnlabelled(string?[] row, int index) => index >= row.Length || TabularReader.Normalize(row[index]) is null;
}
