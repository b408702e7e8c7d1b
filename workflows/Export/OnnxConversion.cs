using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Training;

namespace Orchestrator.Workflows.Export;

/// <summary>A step of the model's pipeline that the ONNX converter cannot write; <see cref="Transform"/> names it.</summary>
public sealed class OnnxNotConvertibleException(string transform, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The ML.NET transformer that has no conversion, e.g. <c>TextFeaturizingEstimator</c>.</summary>
    public string Transform { get; } = transform;

    /// <summary>The dataset column whose featurization it is, when it is one column's.</summary>
    public string? Column { get; init; }
}

/// <summary>One input tensor of an exported model: its name, element type and the dataset column it is computed from.</summary>
public sealed record OnnxInput(string Name, string ElementType, string Source, string Kind);

/// <summary>
/// A saved ML.NET model as ONNX, and the ONNX model's answers through ONNX Runtime. The export leaves the label out
/// (a caller has no label to send): the transform that maps the label to its training key is dropped, since scoring
/// does not read it — the trainer's prediction transformer keeps the classes it learnt. Outputs are only the model's
/// answers (<c>PredictedLabel</c>, <c>Score</c>, <c>Probability</c>), not every intermediate column.
/// </summary>
public static class OnnxConversion
{
    private static readonly string[] Answers = ["PredictedLabel", "Score", "Probability"];

    /// <summary>
    /// The ONNX bytes of <paramref name="modelZip"/>; throws <see cref="OnnxNotConvertibleException"/> naming the first
    /// step of the pipeline that cannot be converted.
    /// </summary>
    public static byte[] Convert(byte[] modelZip, FeatureFrame frame)
    {
        var ml = new MLContext(seed: 1);
        ITransformer model;
        DataViewSchema input;
        using (var stream = new MemoryStream(modelZip, writable: false))
        {
            model = ml.Model.LoadWithDataLoader(stream, out var loader);
            input = loader.GetOutputSchema();
        }
        var steps = (model as IEnumerable<ITransformer> ?? [model]).ToList();
        var features = FeaturesOnly(ml, frame);
        var scoring = WithoutLabel(steps, input);
        var outputs = Outputs(new TransformerChain<ITransformer>([.. scoring]).GetOutputSchema(features.Schema));
        try
        {
            return Write(ml, new TransformerChain<ITransformer>([.. scoring]), features, outputs);
        }
        catch (Exception e) when (e is not OperationCanceledException) // ML.NET's converter fails in many ways (KeyNotFoundException for a missing step)
        {
            throw Unconvertible(ml, frame, scoring, features, e);
        }
    }

    /// <summary>The inputs an exported model takes, in the frame's order (the label is not one).</summary>
    public static IReadOnlyList<OnnxInput> Inputs(FeatureFrame frame) =>
        [.. frame.FeatureColumns.Select(c => new OnnxInput(c.Name, c.Kind is InputKind.Categorical or InputKind.Text ? "string" : "float", c.Source, c.Kind))];

    /// <summary>
    /// Scores raw rows (source column → value) with the ONNX model through ONNX Runtime, converting cells with the
    /// frame's rules as serving does; answers in the form <see cref="LoadedModel"/> gives. <paramref name="classes"/>
    /// are a multiclass model's classes in the order of its score slots.
    /// </summary>
    public static IReadOnlyList<Prediction> Score(byte[] onnx, FeatureFrame frame, IReadOnlyList<string> classes, IReadOnlyList<IReadOnlyDictionary<string, string?>> rows)
    {
        using var session = new InferenceSession(onnx);
        return Score(session, frame, classes, rows);
    }

    /// <inheritdoc cref="Score(byte[], FeatureFrame, IReadOnlyList{string}, IReadOnlyList{IReadOnlyDictionary{string, string?}})"/>
    public static IReadOnlyList<Prediction> Score(InferenceSession session, FeatureFrame frame, IReadOnlyList<string> classes, IReadOnlyList<IReadOnlyDictionary<string, string?>> rows)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            var shape = new long[] { rows.Count, 1 };
            for (var i = 0; i < frame.Columns.Count; i++)
            {
                var column = frame.Columns[i];
                if (column.Kind == InputKind.Label) continue;
                var cells = rows.Select((row, r) => frame.CellText(i, row.GetValueOrDefault(column.Source), r)).ToArray();
                names.Add(column.Name);
                if (column.Kind is InputKind.Categorical or InputKind.Text)
                {
                    var text = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
                    for (var r = 0; r < cells.Length; r++) text.StringTensorSetElementAt(cells[r] ?? "", r);
                    values.Add(text);
                }
                else
                {
                    values.Add(OrtValue.CreateTensorValueFromMemory(
                        cells.Select(c => c is null ? float.NaN : float.Parse(c, CultureInfo.InvariantCulture)).ToArray(), shape));
                }
            }
            var outputNames = session.OutputNames.ToList();
            string Output(string answer) => outputNames.FirstOrDefault(n => n.StartsWith(answer + ".", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"The ONNX model has no {answer} output (it has {string.Join(", ", outputNames)}).");
            using var options = new RunOptions();
            var wanted = frame.Task switch
            {
                MlTask.Multiclass => new[] { Output("PredictedLabel"), Output("Score") },
                MlTask.Binary => [Output("PredictedLabel"), Output("Probability")],
                _ => [Output("Score")],
            };
            using var results = session.Run(options, names, values, wanted);
            var answers = new List<Prediction>(rows.Count);
            switch (frame.Task)
            {
                case MlTask.Multiclass:
                    var labels = results[0].GetStringTensorAsArray();
                    var scores = results[1].GetTensorDataAsSpan<float>().ToArray();
                    for (var r = 0; r < rows.Count; r++)
                        answers.Add(new Prediction(labels[r], classes.Select((c, k) => (c, k)).ToDictionary(x => x.c, x => Math.Round((double)scores[r * classes.Count + x.k], 6))));
                    break;
                case MlTask.Binary:
                    var predicted = results[0].GetTensorDataAsSpan<bool>().ToArray();
                    var probability = results[1].GetTensorDataAsSpan<float>().ToArray();
                    for (var r = 0; r < rows.Count; r++)
                        answers.Add(new Prediction(predicted[r], new Dictionary<string, double> { ["true"] = probability[r], ["false"] = 1 - probability[r] }));
                    break;
                default:
                    var score = results[0].GetTensorDataAsSpan<float>().ToArray();
                    for (var r = 0; r < rows.Count; r++) answers.Add(new Prediction((double)score[r], null));
                    break;
            }
            return answers;
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    /// <summary>A multiclass model's classes in the order of its score slots (empty for other tasks).</summary>
    public static IReadOnlyList<string> Classes(byte[] modelZip, FeatureFrame frame)
    {
        if (frame.Task != MlTask.Multiclass) return [];
        var ml = new MLContext(seed: 1);
        using var stream = new MemoryStream(modelZip, writable: false);
        var model = ml.Model.LoadWithDataLoader(stream, out var loader);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        model.GetOutputSchema(loader.GetOutputSchema())["Score"].GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static byte[] Write(MLContext ml, ITransformer model, IDataView input, string[] outputs)
    {
        using var onnx = new MemoryStream();
        ml.Model.ConvertToOnnx(model, input, onnx, outputs);
        return onnx.ToArray();
    }

    /// <summary>The answer columns the model writes (the converter otherwise exports every column, inputs included).</summary>
    private static string[] Outputs(DataViewSchema output) => [.. Answers.Where(a => output.GetColumnOrNull(a) is not null)];

    /// <summary>The steps without the one that writes the training label (<c>Label</c>) from the label column.</summary>
    private static List<ITransformer> WithoutLabel(IReadOnlyList<ITransformer> steps, DataViewSchema input)
    {
        var kept = new List<ITransformer>();
        var schema = input;
        foreach (var step in steps)
        {
            var output = step.GetOutputSchema(schema);
            var writesLabel = schema.GetColumnOrNull("Label") is null && Written(schema, output) is ["Label"];
            if (!writesLabel) kept.Add(step);
            schema = output;
        }
        return kept;
    }

    /// <summary>The visible columns <paramref name="after"/> adds or replaces.</summary>
    private static string[] Written(DataViewSchema before, DataViewSchema after) =>
        [.. after.Where(c => !c.IsHidden && c.Index >= before.Count).Select(c => c.Name)];

    /// <summary>No rows, with the model's input columns but the label: what the converter reads the graph's inputs from.</summary>
    private static IDataView FeaturesOnly(MLContext ml, FeatureFrame frame) =>
        ml.Data.CreateTextLoader([.. frame.LoaderColumns().Where(c => c.Name != frame.LabelColumn.Name)], separatorChar: ',').Load(new InMemoryTextSource(""));

    /// <summary>
    /// Converts longer and longer heads of the pipeline: the first head that fails ends in the step to name (inside a
    /// step that is itself a chain, such as text featurization, the inner step that fails).
    /// </summary>
    private static OnnxNotConvertibleException Unconvertible(MLContext ml, FeatureFrame frame, List<ITransformer> steps, IDataView input, Exception failure)
    {
        if (FirstUnconvertible(ml, [], steps, input) is not var (step, written, error))
            return new OnnxNotConvertibleException("pipeline", $"The model's pipeline cannot be exported to ONNX: {failure.Message}", failure);
        var name = NameOf(step);
        var source = frame.Columns.FirstOrDefault(c => written.Any(w => w == c.Name || w.StartsWith(c.Name + "_", StringComparison.Ordinal)));
        var where = source is null ? "" : $" (on the {source.Kind} column '{source.Source}')";
        return new OnnxNotConvertibleException(name,
            $"The model's pipeline cannot be exported to ONNX: its step {name}{where} has no ONNX conversion in ML.NET's converter ({error.Message}).", error)
        { Column = source?.Source };
    }

    private static (ITransformer Step, string[] Written, Exception Error)? FirstUnconvertible(MLContext ml, List<ITransformer> prefix, IEnumerable<ITransformer> steps, IDataView input)
    {
        foreach (var step in steps)
        {
            var before = new TransformerChain<ITransformer>([.. prefix]).GetOutputSchema(input.Schema);
            var written = Written(before, step.GetOutputSchema(before));
            try
            {
                Write(ml, new TransformerChain<ITransformer>([.. prefix, step]), input, written);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return step is IEnumerable<ITransformer> inner && inner.Any() ? FirstUnconvertible(ml, [.. prefix], inner, input) ?? (step, written, e) : (step, written, e);
            }
            prefix.Add(step);
        }
        return null;
    }

    private static string NameOf(ITransformer step)
    {
        var type = step.GetType();
        // Text featurization's transformer is a nested class (TextFeaturizingEstimator.Transformer): its estimator names it.
        if (type.IsNested && type.DeclaringType is { } declaring) return declaring.Name;
        return type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>" : type.Name;
    }
}
