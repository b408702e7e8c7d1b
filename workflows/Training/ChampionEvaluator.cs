using System.Text;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Training;

/// <summary>
/// Champion/challenger: evaluates the production model on the run's test set (same rows, same seed) and decides
/// whether the run's best candidate beats it by the project's <c>minImprovement</c>. No production model → better.
/// The test set comes from the version's labelled rows, as the trials' does.
/// </summary>
public sealed class ChampionEvaluator(DatasetIngestion datasets, LakeStore lake, ProjectStore projectStore, TrialStore trialStore,
    ModelStore modelStore, DeploymentStore deploymentStore)
{
    public async Task<ChampionComparison?> CompareAsync(CompareInput input, CancellationToken ct = default)
    {
        if (await deploymentStore.GetProductionVersionAsync(input.Project, ct) is not { } version
            || await modelStore.GetModelVersionAsync(input.Project, version, ct) is not { } champion)
            return null;
        var project = await projectStore.GetProjectAsync(input.Project, ct) ?? throw new InvalidOperationException($"Project '{input.Project}' does not exist.");
        var trial = await trialStore.GetTrialAsync(input.RunId, input.TrialId, ct) ?? throw new InvalidOperationException($"Trial {input.TrialId} does not exist.");

        var frameBlob = TrialRunner.FramePathFor(champion.ModelBlob);
        var frame = Json.Deserialize<FeatureFrame>(Encoding.UTF8.GetString(await lake.DownloadBytesAsync(StorageNames.ModelsContainer, frameBlob, ct)));
        var (data, _) = await datasets.ReadCuratedAsync(input.Project, input.Dataset, input.DatasetVersion, ct);
        var missing = frame.Columns.Select(c => c.Source).Distinct().Where(c => data.IndexOf(c) < 0).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"The production model v{version} needs columns this dataset lacks: {string.Join(", ", missing)}.");
        var csv = frame.ToCsv(LabelledRows.Of(data, project.Label).Data, withLabel: true);
        var zip = await lake.DownloadBytesAsync(StorageNames.ModelsContainer, champion.ModelBlob, ct);
        var metrics = ModelTrainer.EvaluateSaved(zip, project.Task, csv, project.TestFraction, project.Seed)
            .ToDictionary(m => m.Key, m => Math.Round(m.Value, 6));

        var challenger = trial.Metrics[input.PrimaryMetric];
        var incumbent = metrics[input.PrimaryMetric];
        var gain = Metrics.LowerIsBetter(input.PrimaryMetric) ? incumbent - challenger : challenger - incumbent;
        return new ChampionComparison(version, metrics, input.PrimaryMetric, challenger, incumbent, input.MinImprovement, gain >= input.MinImprovement);
    }
}
