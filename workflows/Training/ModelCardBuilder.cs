using System.Text;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Training;

/// <summary>How much the primary metric drops when one source column's values are shuffled (permutation importance).</summary>
public sealed record FeatureImportance(string Feature, double Drop);

/// <summary>
/// What an SME and an auditor need to know about a candidate (stored as JSON in <c>reports</c>). <c>RowsUsed</c> are
/// the curated rows with a label; <c>TrainingRows</c> says how many others were left out, and why; <c>Slices</c> are
/// the metrics per value of the project's <c>evaluation.sliceBy</c> columns on the same test set.
/// </summary>
public sealed record ModelCard(
    string Project, string RunId, string TrialId, string Trainer, IReadOnlyDictionary<string, double> Parameters,
    string Dataset, int DatasetVersion, string? ContentHash, long RowsIn, long RowsUsed, long RowsQuarantined,
    IReadOnlyList<InputColumn> Features, string Label, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<Kpi> Kpis,
    ChampionComparison? Champion, ConfusionMatrix? ConfusionMatrix, IReadOnlyDictionary<string, double>? PerClassRecall,
    string PrimaryMetric, IReadOnlyList<FeatureImportance> FeatureImportance, DateTimeOffset CreatedAt, TrainingRows? TrainingRows = null,
    IReadOnlyList<SliceMetrics>? Slices = null);

/// <summary>
/// Builds the model card of a run's best candidate: data summary, features, metrics, confusion matrix, feature
/// importance; and records the candidate's smoke sample, the rows a promotion checks it with (only this candidate can
/// be registered, and the card already holds its model, frame and rows).
/// </summary>
public sealed class ModelCardBuilder(DatasetIngestion datasets, LakeStore lake, ProjectStore projectStore, DatasetStore datasetStore,
    RunStore runStore, TrialStore trialStore, Registry.SmokeTester smoke, TimeProvider clock)
{
    public static string CardPath(string project, string runId) => $"{Names.Require(project, "project")}/runs/{Names.RequireId(runId, "run")}/model-card.json";

    /// <summary>The model card written for a run, or null when none was (no candidate passed the KPI gate yet).</summary>
    public async Task<ModelCard?> ReadAsync(string project, string runId, CancellationToken ct = default)
    {
        var path = CardPath(project, runId);
        return await lake.ExistsAsync(StorageNames.ReportsContainer, path, ct)
            ? Json.Deserialize<ModelCard>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ReportsContainer, path, ct)))
            : null;
    }

    public async Task<ModelCard> BuildAsync(string runId, string trialId, CancellationToken ct = default)
    {
        var run = await runStore.GetRunAsync(runId, ct) ?? throw new InvalidOperationException($"Run '{runId}' does not exist.");
        var project = await projectStore.GetProjectAsync(run.Project, ct) ?? throw new InvalidOperationException($"Project '{run.Project}' does not exist.");
        var trial = await trialStore.GetTrialAsync(runId, trialId, ct) ?? throw new InvalidOperationException($"Trial {trialId} does not exist.");
        var version = await datasetStore.GetDatasetVersionAsync(run.Project, run.Dataset, run.DatasetVersion ?? 0, ct)
            ?? throw new InvalidOperationException($"Dataset version of run {runId} does not exist.");
        var modelBlob = trial.ModelBlob ?? throw new InvalidOperationException($"Trial {trialId} has no model.");
        var frame = Json.Deserialize<FeatureFrame>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, TrialRunner.FramePathFor(modelBlob), ct)));
        var zip = await lake.DownloadBytesAsync(StorageNames.ModelsContainer, modelBlob, ct);
        var (curated, _) = await datasets.ReadCuratedAsync(run.Project, run.Dataset, version.Version, ct);
        var (data, rows) = LabelledRows.Of(curated, frame.Label); // the rows the trial was trained and tested on

        await smoke.RecordAsync(modelBlob, zip, frame, data, ct);
        var importance = PermutationImportance(frame, data, zip, project, trial.Metrics[project.PrimaryMetric]);
        var card = new ModelCard(run.Project, runId, trialId, trial.Trainer, trial.Parameters, run.Dataset, version.Version, version.ContentHash,
            version.RowsIn, rows.Labelled, version.RowsQuarantined, frame.FeatureColumns.ToList(), frame.Label, trial.Metrics, project.Kpis,
            run.Champion, trial.ConfusionMatrix, PerClassRecall(trial.ConfusionMatrix), project.PrimaryMetric, importance, clock.GetUtcNow(), rows, trial.Slices);
        await lake.UploadBytesAsync(StorageNames.ReportsContainer, CardPath(run.Project, runId), Encoding.UTF8.GetBytes(Json.Serialize(card)), "application/json", ct);
        return card;
    }

    /// <summary>Recall of each class: the diagonal over the row (actual class) total.</summary>
    public static IReadOnlyDictionary<string, double>? PerClassRecall(ConfusionMatrix? matrix) =>
        matrix is null ? null : matrix.Classes.Select((c, i) => (c, i)).Where(x => x.i < matrix.Counts.Count).ToDictionary(
            x => x.c, x => matrix.Counts[x.i].Sum() is var total and > 0 ? Math.Round(matrix.Counts[x.i][x.i] / total, 4) : 0);

    /// <summary>
    /// For each source column (the top 10 kept): shuffle its values (seeded), evaluate on the same test split, and
    /// report how much the primary metric gets worse. Model-agnostic, and in the source's own column names.
    /// </summary>
    private static List<FeatureImportance> PermutationImportance(FeatureFrame frame, TabularData data, byte[] zip, ProjectDefinition project, double baseline)
    {
        var lowerIsBetter = Metrics.LowerIsBetter(project.PrimaryMetric);
        var result = new List<FeatureImportance>();
        var columns = data.Columns.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var saved = ModelTrainer.LoadSaved(zip, project.Seed); // loaded once for every shuffled column
        // Only the test split is scored, so only its rows are written out and read back (a fifth of them at the default
        // fraction); each still takes its shuffled value from the permutation of all rows, as before.
        var test = ModelTrainer.TestRowPositions(data.Rows.Count, project.TestFraction, project.Seed);
        foreach (var source in frame.RequiredSources.Select(c => c.Source))
        {
            var index = columns[source];
            var order = Enumerable.Range(0, data.Rows.Count).ToArray();
            new Random(project.Seed).Shuffle(order);
            var csv = frame.ToCsv(test.Select(position =>
            {
                var (row, shuffled) = (data.Rows[position], data.Rows[order[position]]);
                return (Func<string, string?>)(name => name == source ? shuffled[index] : columns.TryGetValue(name, out var i) ? row[i] : null);
            }), withLabel: true);
            var permuted = ModelTrainer.EvaluateRows(saved, project.Task, csv)[project.PrimaryMetric];
            result.Add(new FeatureImportance(source, Math.Round(lowerIsBetter ? permuted - baseline : baseline - permuted, 4)));
        }
        return result.OrderByDescending(f => f.Drop).Take(10).ToList();
    }
}
