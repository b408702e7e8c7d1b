using System.Collections.Concurrent;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Training;

/// <summary>What a trainer reads: the frame with its fill values fixed from the rows, and the rows as the trainers' CSV.</summary>
public sealed record ModelInput(FeatureFrame Frame, string Csv);

/// <summary>
/// The model input of a curated version for one feature frame, made once per process and shared by the trials and folds
/// that train on it: each would otherwise rebuild it (about 0.1 s a trial on 200k rows, docs/benchmarks.md). A curated
/// version never changes, so an entry is never stale; the frame is part of the key, so a project whose features or
/// featurization changed gets an entry of its own.
/// </summary>
public sealed class ModelInputCache
{
    private const int InputsKept = 4;
    // Above this (128 MB of text) an input is made for each trial, as it was before this cache, rather than held.
    private const int MaxCharactersKept = 64 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Lazy<ModelInput>> _inputs = new();

    /// <summary>The input for a frame over the labelled rows of a curated version, made at the first call.</summary>
    /// <param name="project">The version's project.</param>
    /// <param name="dataset">The version's dataset.</param>
    /// <param name="version">The version: its rows are always the same.</param>
    /// <param name="labelled">That version's labelled rows.</param>
    /// <param name="frame">The frame as the project defines it, without fill values (they come from the rows).</param>
    public ModelInput Get(string project, string dataset, int version, TabularData labelled, FeatureFrame frame)
    {
        var key = LakeStore.DatasetPath(project, dataset, version, Json.Serialize(frame));
        if (_inputs.Count >= InputsKept && !_inputs.ContainsKey(key)) _inputs.Clear();
        // Trials that start together wait for one build instead of each building its own.
        var cached = _inputs.GetOrAdd(key, _ => new Lazy<ModelInput>(() => Build(labelled, frame)));
        try
        {
            var input = cached.Value;
            if (input.Csv.Length > MaxCharactersKept) _inputs.TryRemove(key, out _);
            return input;
        }
        catch
        {
            _inputs.TryRemove(key, out _); // a failed build is not remembered
            throw;
        }
    }

    private static ModelInput Build(TabularData labelled, FeatureFrame frame)
    {
        var filled = frame.WithFill(labelled);
        return new ModelInput(filled, filled.ToCsv(labelled, withLabel: true));
    }
}
