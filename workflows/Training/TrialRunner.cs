using System.Text;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Training;

/// <summary>
/// Runs one trial: reads the curated version, leaves out its rows without a label (counted on the trial), trains and
/// evaluates the candidate (on the whole test set and on its slices), stores the model and the trial row. (The smoke
/// sample is recorded for the run's best trial only, with its model card.)
/// Idempotent: a trial already recorded as succeeded is returned as it is, never trained or written twice.
/// A candidate that cannot be trained is recorded as failed with the error; it does not fail the sweep.
/// </summary>
public sealed class TrialRunner(DatasetIngestion datasets, ModelInputCache inputs, LakeStore lake, ProjectStore projectStore, TrialStore trialStore,
    Lineage.LineageStore lineage, TimeProvider clock)
{

    public const string ModelFile = "model.zip";
    public const string FrameFile = "frame.json";

    /// <summary>The input contract saved next to a model blob.</summary>
    public static string FramePathFor(string modelBlob) => modelBlob[..(modelBlob.LastIndexOf('/') + 1)] + FrameFile;

    public static string ModelPath(string project, string runId, string trialId, string file) =>
        $"{Names.Require(project, "project")}/{Names.RequireId(runId, "run")}/{Names.RequireId(trialId, "trial")}/{file}";

    public async Task<TrialResult> RunAsync(TrialInput input, CancellationToken ct = default)
    {
        // Both reads at once: a trial's time outside training is mostly storage round trips. (The curated version is
        // cached per process, so only a process's first trial of a version reads it from storage.)
        var existingRead = trialStore.GetTrialAsync(input.RunId, input.TrialId, ct);
        var projectRead = projectStore.GetProjectAsync(input.Project, ct);
        var existing = await existingRead;
        if (existing is { Status: TrialStatus.Succeeded }) return existing; // the project read's outcome is not needed

        var project = await projectRead
            ?? throw new InvalidOperationException($"Project '{input.Project}' does not exist.");
        var (curated, schema) = await datasets.ReadCuratedAsync(input.Project, input.Dataset, input.DatasetVersion, ct);
        var (data, rows) = LabelledRows.Of(curated, project.Label);

        // When the trial ran, for the run's timeline (a cross-validated trial's folds ran before this, each on its own).
        var startedAt = clock.GetUtcNow();
        TrialResult result;
        (string ModelPath, byte[] Model, byte[] Frame)? files = null;
        try
        {
            if (rows.Labelled == 0)
                throw new ArgumentException($"No row of version {input.DatasetVersion} has a value for the label '{project.Label}' ({rows.Unlabelled} rows, none labelled): there is nothing to train on.");
            var (frame, csv) = inputs.Get(input.Project, input.Dataset, input.DatasetVersion, data, FeatureFrame.Create(schema, project));
            var trained = ModelTrainer.Train(frame, csv, input.Candidate, project.TestFraction, project.Seed, input.Budget,
                ModelTrainer.ThreadsPerTrial(project.ParallelTrials()));
            var metrics = trained.Metrics.ToDictionary(m => m.Key, m => Math.Round(m.Value, 6));
            foreach (var (name, value) in input.CrossValidation ?? new Dictionary<string, double>()) metrics[name] = value;
            var slices = SliceEvaluation.Evaluate(frame, data, schema, trained.ModelZip, project.Evaluation?.SliceBy, project.TestFraction, project.Seed);
            var modelPath = ModelPath(input.Project, input.RunId, input.TrialId, ModelFile);
            result = new TrialResult(input.RunId, input.TrialId, input.Candidate.Trainer, input.Candidate.Parameters, TrialStatus.Succeeded,
                metrics, modelPath, Math.Round(trained.Seconds, 3), null, trained.ConfusionMatrix,
                input.Rung, input.Budget, trained.ModelZip.LongLength, project.Seed, input.Folds, startedAt, clock.GetUtcNow(), rows,
                slices.Count > 0 ? slices : null);
            files = (modelPath, trained.ModelZip, Encoding.UTF8.GetBytes(Json.Serialize(frame)));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataFileException or FormatException)
        {
            result = new TrialResult(input.RunId, input.TrialId, input.Candidate.Trainer, input.Candidate.Parameters, TrialStatus.Failed,
                new Dictionary<string, double>(), null, 0, e.Message, null, input.Rung, input.Budget, 0, project.Seed, input.Folds, startedAt, clock.GetUtcNow(), rows);
        }
        // Model, frame and lineage together, all before the row: the row says the model exists, and a trial found recorded
        // (and so not run again) has its edge.
        var writes = new List<Task> { lineage.RecordAsync(Lineage.LineageEdges.Trial(result, clock.GetUtcNow()), ct) };
        if (files is { } f)
        {
            writes.Add(lake.UploadBytesAsync(StorageNames.ModelsContainer, f.ModelPath, f.Model, "application/zip", ct));
            writes.Add(lake.UploadBytesAsync(StorageNames.ModelsContainer, FramePathFor(f.ModelPath), f.Frame, "application/json", ct));
        }
        await Task.WhenAll(writes);
        await trialStore.PutTrialAsync(result, ct);
        return result;
    }
}

/// <summary>Trains and evaluates one fold of a cross-validated trial (labelled rows only); writes nothing, so a retry is harmless.</summary>
public sealed class FoldRunner(DatasetIngestion datasets, ModelInputCache inputs, ProjectStore projectStore)
{
    public async Task<IReadOnlyDictionary<string, double>> RunAsync(FoldInput input, CancellationToken ct = default)
    {
        var t = input.Trial;
        var project = await projectStore.GetProjectAsync(t.Project, ct) ?? throw new InvalidOperationException($"Project '{t.Project}' does not exist.");
        var (curated, schema) = await datasets.ReadCuratedAsync(t.Project, t.Dataset, t.DatasetVersion, ct);
        var (data, _) = LabelledRows.Of(curated, project.Label);
        var (frame, csv) = inputs.Get(t.Project, t.Dataset, t.DatasetVersion, data, FeatureFrame.Create(schema, project));
        // A cross-validated trial trains its folds side by side.
        return ModelTrainer.TrainFold(frame, csv, t.Candidate, project.TestFraction, project.Seed, input.Fold, input.Folds,
            ModelTrainer.ThreadsPerTrial(project.ParallelTrials() * input.Folds));
    }
}

/// <summary>Ranks trials by the primary metric and checks the KPIs: deterministic, so orchestrators may call it.</summary>
public static class ChampionSelector
{
    /// <summary>The best trial and whether it meets the KPIs, with the rows the trials learned from (the same for every trial of a run).</summary>
    public static TrainingOutcome Select(IReadOnlyList<TrialResult> trials, string primaryMetric, IReadOnlyList<Kpi> kpis) =>
        Decide(trials, primaryMetric, kpis) with { TrainingRows = trials.Select(t => t.TrainingRows).FirstOrDefault(r => r is not null) };

    private static TrainingOutcome Decide(IReadOnlyList<TrialResult> trials, string primaryMetric, IReadOnlyList<Kpi> kpis)
    {
        var succeeded = Rank(trials, primaryMetric);
        var failed = trials.Count(t => t.Status != TrialStatus.Succeeded);
        if (succeeded.Count == 0)
            return new TrainingOutcome(false, null, null, $"All {trials.Count} trials failed; first error: {trials.FirstOrDefault(t => t.Error is not null)?.Error}", 0, failed);
        var best = succeeded[0];
        var missed = kpis.Where(k => !best.Metrics.TryGetValue(k.Metric, out var v) || !k.IsMetBy(v)).ToList();
        if (missed.Count > 0)
        {
            var detail = string.Join("; ", missed.Select(k => $"{k} not met (best {best.TrialId} {best.Trainer}: {(best.Metrics.TryGetValue(k.Metric, out var v) ? v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "n/a")})"));
            return new TrainingOutcome(false, best.TrialId, best.Metrics, $"No candidate meets the KPIs: {detail}.", succeeded.Count, failed);
        }
        // Per-slice KPIs hold in every slice large enough to judge, as well as overall (checked above).
        if (SliceEvaluation.Misses(best.Slices, kpis).ToList() is { Count: > 0 } slices)
            return new TrainingOutcome(false, best.TrialId, best.Metrics,
                $"No candidate meets the KPIs in every slice: {string.Join("; ", slices)} (best {best.TrialId} {best.Trainer}).", succeeded.Count, failed);
        return new TrainingOutcome(true, best.TrialId, best.Metrics, null, succeeded.Count, failed);
    }

    /// <summary>Succeeded trials, best first; ties broken by trial id so the order is stable.</summary>
    public static List<TrialResult> Rank(IEnumerable<TrialResult> trials, string primaryMetric)
    {
        var lower = Metrics.LowerIsBetter(primaryMetric);
        return trials.Where(t => t.Status == TrialStatus.Succeeded && t.Metrics.ContainsKey(primaryMetric))
            .OrderBy(t => lower ? t.Metrics[primaryMetric] : -t.Metrics[primaryMetric])
            .ThenBy(t => t.TrialId, StringComparer.Ordinal)
            .ToList();
    }
}
