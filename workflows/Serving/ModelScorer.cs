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

/// <summary>
/// A loaded model and its input contract. Single rows (the usual request) go through a pool of PredictionEngines built
/// once per model over a typed input whose slots a SchemaDefinition maps to the model's columns — no pipeline is built
/// per request; larger batches go through the model's own text loader once per batch. Both convert cells with the
/// frame's rules (missing-value fill, booleans, date parts) and name the row and field of a bad value. Thread-safe.
/// </summary>
public sealed class LoadedModel
{
    /// <summary>Batches up to this many rows use the engines; larger ones the loader (one pipeline for the batch).</summary>
    public const int EngineRows = 16;

    private readonly MLContext _ml = new(seed: 1);
    private readonly ITransformer _model;
    private readonly IDataLoader<IMultiStreamSource> _loader;
    private readonly EnginePool? _engines;
    private readonly string[] _classes = [];

    public LoadedModel(byte[] modelZip, FeatureFrame frame)
    {
        Frame = frame;
        using var stream = new MemoryStream(modelZip, writable: false);
        _model = _ml.Model.LoadWithDataLoader(stream, out _loader);
        var output = _model.GetOutputSchema(_loader.GetOutputSchema());
        if (frame.Task == MlTask.Multiclass)
        {
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            output["Score"].GetSlotNames(ref names);
            _classes = names.DenseValues().Select(n => n.ToString()).ToArray();
        }
        _engines = EnginePool.TryCreate(_ml, _model, _loader.GetOutputSchema(), frame);
    }

    public FeatureFrame Frame { get; }

    /// <summary>Scores raw rows (source column → value). Throws <see cref="InvalidDataFileException"/> naming the row and field on bad input, with the row's index in its <see cref="InvalidDataFileException.Row"/>.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<IReadOnlyDictionary<string, string?>> rows)
    {
        for (var i = 0; i < rows.Count; i++)
            foreach (var column in Frame.RequiredSources)
                if (!rows[i].ContainsKey(column.Source))
                    throw new InvalidDataFileException($"Row {i}: the feature '{column.Source}' is missing.") { Row = i };
        return _engines is not null && rows.Count <= EngineRows ? PredictWithEngines(rows) : PredictWithLoader(rows);
    }

    /// <summary>Scores through the model's text loader (one pipeline per call); the reference path, and the one for batches.</summary>
    public IReadOnlyList<Prediction> PredictWithLoader(IReadOnlyList<IReadOnlyDictionary<string, string?>> rows)
    {
        var csv = Frame.ToCsv(rows.Select(r => (Func<string, string?>)(name => r.GetValueOrDefault(name))), withLabel: false);
        var output = _model.Transform(_loader.Load(new InMemoryTextSource(csv)));
        return Frame.Task switch
        {
            MlTask.Multiclass => output.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Zip(output.GetColumn<float[]>("Score"),
                (label, scores) => Multiclass(label, scores)).ToList(),
            MlTask.Binary => output.GetColumn<bool>("PredictedLabel").Zip(output.GetColumn<float>("Probability"), Binary).ToList(),
            _ => output.GetColumn<float>("Score").Select(Regression).ToList(),
        };
    }

    private List<Prediction> PredictWithEngines(IReadOnlyList<IReadOnlyDictionary<string, string?>> rows)
    {
        var predictions = new List<Prediction>(rows.Count);
        for (var i = 0; i < rows.Count; i++) predictions.Add(PredictInput(_engines!.Convert(rows[i], i)));
        return predictions;
    }

    /// <summary>A raw row in the model's typed input (the engines' half of a prediction); null when the model is too wide for the slots.</summary>
    public ModelInputRow? ToInput(IReadOnlyDictionary<string, string?> row, int rowNumber = 0) => _engines?.Convert(row, rowNumber);

    /// <summary>Scores a row converted by <see cref="ToInput"/> with a pooled engine.</summary>
    public Prediction PredictInput(ModelInputRow input) => Frame.Task switch
    {
        MlTask.Multiclass => _engines!.Multiclass(input) is var m ? Multiclass(m.PredictedLabel, m.Score) : null!,
        MlTask.Binary => _engines!.Binary(input) is var b ? Binary(b.PredictedLabel, b.Probability) : null!,
        _ => Regression(_engines!.Regression(input).Score),
    };

    private Prediction Multiclass(ReadOnlyMemory<char> label, float[] scores) =>
        new(label.ToString(), _classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => Math.Round((double)scores[x.i], 6)));

    private static Prediction Binary(bool label, float p) => new(label, new Dictionary<string, double> { ["true"] = p, ["false"] = 1 - p });

    private static Prediction Regression(float score) => new((double)score, null);

    /// <summary>PredictionEngines of one model (not thread-safe each, so pooled), and the slot mapping of its input.</summary>
    private sealed class EnginePool
    {
        private readonly MLContext _ml;
        private readonly ITransformer _model;
        private readonly SchemaDefinition _schema;
        private readonly FeatureFrame _frame;
        private readonly (int Slot, bool Number)[] _slots;
        private readonly ConcurrentBag<PredictionEngine<ModelInputRow, MulticlassOutputRow>> _multiclass = [];
        private readonly ConcurrentBag<PredictionEngine<ModelInputRow, BinaryOutputRow>> _binary = [];
        private readonly ConcurrentBag<PredictionEngine<ModelInputRow, RegressionOutputRow>> _regression = [];

        private EnginePool(MLContext ml, ITransformer model, SchemaDefinition schema, FeatureFrame frame, (int, bool)[] slots) =>
            (_ml, _model, _schema, _frame, _slots) = (ml, model, schema, frame, slots);

        /// <summary>The pool, or null when the model's input does not fit the slots (then every call uses the loader).</summary>
        public static EnginePool? TryCreate(MLContext ml, ITransformer model, DataViewSchema input, FeatureFrame frame)
        {
            var schema = SchemaDefinition.Create(typeof(ModelInputRow), SchemaDefinition.Direction.Read);
            var used = new HashSet<string>();
            var slots = new List<(int, bool)>();
            int numbers = 0, texts = 0;
            foreach (var column in frame.Columns)
            {
                var type = input[column.Name].Type;
                bool number;
                if (type == NumberDataViewType.Single) number = true;
                else if (type is TextDataViewType) number = false;
                else return null; // e.g. a boolean label column: served by the loader
                var slot = number ? numbers++ : texts++;
                if (numbers > ModelInputRow.Numbers || texts > ModelInputRow.Texts) return null;
                var member = (number ? "N" : "S") + slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
                schema.Single(c => c.MemberName == member).ColumnName = column.Name;
                used.Add(member);
                slots.Add((slot, number));
            }
            schema.RemoveAll(c => !used.Contains(c.MemberName));
            return new EnginePool(ml, model, schema, frame, [.. slots]);
        }

        /// <summary>A raw row in the model's input slots, converted cell by cell as the loader path writes it.</summary>
        public ModelInputRow Convert(IReadOnlyDictionary<string, string?> row, int rowNumber)
        {
            var input = new ModelInputRow();
            for (var i = 0; i < _slots.Length; i++)
            {
                var column = _frame.Columns[i];
                var cell = column.Kind == InputKind.Label ? null : _frame.CellText(i, row.GetValueOrDefault(column.Source), rowNumber);
                var (slot, number) = _slots[i];
                if (number) input.N[slot] = cell is null ? float.NaN : float.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);
                else input.S[slot] = (cell ?? "").AsMemory();
            }
            return input;
        }

        public MulticlassOutputRow Multiclass(ModelInputRow input) => Use(_multiclass, engine => engine.Predict(input));
        public BinaryOutputRow Binary(ModelInputRow input) => Use(_binary, engine => engine.Predict(input));
        public RegressionOutputRow Regression(ModelInputRow input) => Use(_regression, engine => engine.Predict(input));

        private TOut Use<TOut>(ConcurrentBag<PredictionEngine<ModelInputRow, TOut>> pool, Func<PredictionEngine<ModelInputRow, TOut>, TOut> predict)
            where TOut : class, new()
        {
            if (!pool.TryTake(out var engine)) engine = _ml.Model.CreatePredictionEngine<ModelInputRow, TOut>(_model, inputSchemaDefinition: _schema);
            try { return predict(engine); }
            finally { pool.Add(engine); }
        }
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
