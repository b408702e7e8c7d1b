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
    /// <summary>Test rows the permutation importance scores at most (a seeded sample of a larger test split).</summary>
    public const int ImportanceRows = 10_000;

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
        // Reads that do not depend on each other go together: each is a storage round trip on the way to the SME.
        var runRead = runStore.GetRunAsync(runId, ct);
        var trialRead = trialStore.GetTrialAsync(runId, trialId, ct);
        var run = await runRead ?? throw new InvalidOperationException($"Run '{runId}' does not exist.");
        var trial = await trialRead ?? throw new InvalidOperationException($"Trial {trialId} does not exist.");
        var modelBlob = trial.ModelBlob ?? throw new InvalidOperationException($"Trial {trialId} has no model.");
        var projectRead = projectStore.GetProjectAsync(run.Project, ct);
        var versionRead = datasetStore.GetDatasetVersionAsync(run.Project, run.Dataset, run.DatasetVersion ?? 0, ct);
        var frameRead = lake.DownloadBytesAsync(StorageNames.ModelsContainer, TrialRunner.FramePathFor(modelBlob), ct);
        var zipRead = lake.DownloadBytesAsync(StorageNames.ModelsContainer, modelBlob, ct);
        var project = await projectRead ?? throw new InvalidOperationException($"Project '{run.Project}' does not exist.");
        var version = await versionRead ?? throw new InvalidOperationException($"Dataset version of run {runId} does not exist.");
        var frame = Json.Deserialize<FeatureFrame>(Encoding.UTF8.GetString(await frameRead));
        var zip = await zipRead;
        var (curated, _) = await datasets.ReadCuratedAsync(run.Project, run.Dataset, version.Version, ct);
        var (data, rows) = LabelledRows.Of(curated, frame.Label); // the rows the trial was trained and tested on

        // The smoke sample (its own model load, 20 rows scored, an upload) on another core while the importance is computed.
        var smokeRecorded = Task.Run(() => smoke.RecordAsync(modelBlob, zip, frame, data, ct), ct);
        var importance = PermutationImportance(frame, data, zip, project, trial.Metrics[project.PrimaryMetric]);
        var card = new ModelCard(run.Project, runId, trialId, trial.Trainer, trial.Parameters, run.Dataset, version.Version, version.ContentHash,
            version.RowsIn, rows.Labelled, version.RowsQuarantined, frame.FeatureColumns.ToList(), frame.Label, trial.Metrics, project.Kpis,
            run.Champion, trial.ConfusionMatrix, PerClassRecall(trial.ConfusionMatrix), project.PrimaryMetric, importance, clock.GetUtcNow(), rows, trial.Slices);
        await Task.WhenAll(smokeRecorded,
            lake.UploadBytesAsync(StorageNames.ReportsContainer, CardPath(run.Project, runId), Encoding.UTF8.GetBytes(Json.Serialize(card)), "application/json", ct));
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
        var columns = data.Columns.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        // Only the test split is scored, so only its rows are written out and read back (a fifth of them at the default
        // fraction); each still takes its shuffled value from the permutation of all rows, as before.
        var test = ModelTrainer.TestRowPositions(data.Rows.Count, project.TestFraction, project.Seed);
        // A larger test split is sampled (seeded), its baseline scored on the same rows: the drop is an estimate either
        // way, and scoring 40,000 rows once per column took longer than the SME's whole wait besides (flights-200k).
        var sampled = test.Length > ImportanceRows;
        if (sampled)
        {
            new Random(project.Seed).Shuffle(test);
            test = test[..ImportanceRows];
            Array.Sort(test);
        }
        var sources = frame.RequiredSources.Select(c => c.Source).ToList();
        var scores = new double[sources.Count + 1]; // the columns' permuted scores, then the sample's own
        var jobs = sampled ? sources.Count + 1 : sources.Count;
        // Scored on every core (every column's figure depends only on the seed, not on how the columns are shared out);
        // each worker loads its own copy of the model, as an MLContext is not shared between threads.
        var workers = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, jobs));
        // One seeded permutation of all rows, the same for every column (as each column's own shuffle was before).
        var order = Enumerable.Range(0, data.Rows.Count).ToArray();
        new Random(project.Seed).Shuffle(order);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            var saved = ModelTrainer.LoadSaved(zip, project.Seed);
            for (var k = worker; k < jobs; k += workers)
            {
                var source = k < sources.Count ? sources[k] : null;
                var index = source is null ? -1 : columns[source];
                var csv = frame.ToCsv(test.Select(position =>
                {
                    var (row, shuffled) = (data.Rows[position], data.Rows[order[position]]);
                    return (Func<string, string?>)(name => name == source ? shuffled[index] : columns.TryGetValue(name, out var i) ? row[i] : null);
                }), withLabel: true);
                scores[k] = ModelTrainer.EvaluateRows(saved, project.Task, csv)[project.PrimaryMetric];
            }
        });
        var reference = sampled ? scores[sources.Count] : baseline;
        // Ties keep the frame's column order, as the sequential loop's stable sort did.
        return sources.Select((source, k) => new FeatureImportance(source, Math.Round(lowerIsBetter ? scores[k] - reference : reference - scores[k], 4)))
            .OrderByDescending(f => f.Drop).Take(10).ToList();
    }
}
