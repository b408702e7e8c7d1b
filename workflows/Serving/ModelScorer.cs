using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Serving;

/// <summary>One prediction: the label (or value) and, for classification, a score per class.</summary>
public sealed record Prediction(object? Value, IReadOnlyDictionary<string, double>? Scores);

/// <summary>A loaded model and its input contract. Transform is thread-safe, so one instance serves all requests.</summary>
public sealed class LoadedModel
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly ITransformer _model;
    private readonly IDataLoader<IMultiStreamSource> _loader;

    public LoadedModel(byte[] modelZip, FeatureFrame frame)
    {
        Frame = frame;
        using var stream = new MemoryStream(modelZip, writable: false);
        _model = _ml.Model.LoadWithDataLoader(stream, out _loader);
    }

    public FeatureFrame Frame { get; }

    /// <summary>Scores raw rows (source column → value). Throws <see cref="InvalidDataFileException"/> naming the row and field on bad input.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<IReadOnlyDictionary<string, string?>> rows)
    {
        for (var i = 0; i < rows.Count; i++)
            foreach (var column in Frame.RequiredSources)
                if (!rows[i].ContainsKey(column.Source))
                    throw new InvalidDataFileException($"Row {i}: the feature '{column.Source}' is missing.");
        var csv = Frame.ToCsv(rows.Select(r => (Func<string, string?>)(name => r.GetValueOrDefault(name))), withLabel: false);
        var output = _model.Transform(_loader.Load(new InMemoryTextSource(csv)));
        return Frame.Task switch
        {
            MlTask.Multiclass => Multiclass(output),
            MlTask.Binary => output.GetColumn<bool>("PredictedLabel").Zip(output.GetColumn<float>("Probability"),
                (label, p) => new Prediction(label, new Dictionary<string, double> { ["true"] = p, ["false"] = 1 - p })).ToList(),
            _ => output.GetColumn<float>("Score").Select(s => new Prediction((double)s, null)).ToList(),
        };
    }

    private static List<Prediction> Multiclass(IDataView output)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["Score"].GetSlotNames(ref names);
        var classes = names.DenseValues().Select(n => n.ToString()).ToArray();
        return output.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Zip(output.GetColumn<float[]>("Score"),
            (label, scores) => new Prediction(label.ToString(),
                classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => Math.Round((double)scores[x.i], 6)))).ToList();
    }
}

/// <summary>
/// Keeps loaded models by blob so no request loads a model twice; a new production model is loaded next to the old
/// one (requests in flight keep theirs), a failed load is not remembered, and only the most recent models are kept.
/// </summary>
public sealed class ModelCache(LakeStore lake)
{
    private const int Kept = 8;

    /// <summary>The model of a version with its input contract, loaded from Blob storage once per process.</summary>
    public Task<LoadedModel> GetAsync(ModelVersionInfo model) => GetAsync(model.ModelBlob, async () =>
    {
        var zip = await lake.DownloadBytesAsync(StorageNames.ModelsContainer, model.ModelBlob, CancellationToken.None);
        var frameJson = await lake.DownloadBytesAsync(StorageNames.ModelsContainer, TrialRunner.FramePathFor(model.ModelBlob), CancellationToken.None);
        return new LoadedModel(zip, Json.Deserialize<FeatureFrame>(Encoding.UTF8.GetString(frameJson)));
    });
    private readonly ConcurrentDictionary<string, (Lazy<Task<LoadedModel>> Model, long Used)> _models = new();
    private long _clock;

    public async Task<LoadedModel> GetAsync(string key, Func<Task<LoadedModel>> load)
    {
        var entry = _models.AddOrUpdate(key, _ => (new Lazy<Task<LoadedModel>>(load), Interlocked.Increment(ref _clock)),
            (_, existing) => (existing.Model, Interlocked.Increment(ref _clock)));
        try
        {
            var model = await entry.Model.Value;
            if (_models.Count > Kept)
                foreach (var old in _models.OrderBy(m => m.Value.Used).Take(_models.Count - Kept).ToList())
                    _models.TryRemove(old.Key, out _);
            return model;
        }
        catch
        {
            if (_models.TryGetValue(key, out var current) && current.Model == entry.Model) _models.TryRemove(key, out _);
            throw;
        }
    }
}
