using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Training;

/// <summary>A trained candidate: its test metrics and the saved model (transforms included, with its loader).</summary>
public sealed record TrainedModel(IReadOnlyDictionary<string, double> Metrics, byte[] ModelZip, double Seconds, Model.ConfusionMatrix? ConfusionMatrix = null);

/// <summary>Trains and evaluates one candidate with ML.NET on a seeded train/test split.</summary>
public static class ModelTrainer
{
    /// <summary>
    /// Threads for each tree trainer when <paramref name="parallelTrials"/> train at once: the cores shared out, so that
    /// trials side by side do not each start a thread per core (LightGbm and FastTree otherwise do). L-BFGS keeps ML.NET's
    /// default: with one thread it re-reads its input every iteration instead of holding it in memory.
    /// </summary>
    public static int ThreadsPerTrial(int parallelTrials) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, parallelTrials));

    // budget: share of the training rows to train on (successive halving); the test set is always whole.
    // threads: for LightGbm, FastTree and FastForest (null: ML.NET's default, every core; multiclass LightGbm: one).
    public static TrainedModel Train(FeatureFrame frame, string modelInputCsv, CandidateSpec candidate, double testFraction, int seed, double budget = 1, int? threads = null)
    {
        var watch = Stopwatch.StartNew();
        var ml = new MLContext(seed);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = frame.LoaderColumns(),
            Separators = [','],
            HasHeader = false,
            AllowQuoting = true,
            MissingRealsAsNaNs = true,
        });
        var data = loader.Load(new InMemoryTextSource(modelInputCsv));
        var split = ml.Data.TrainTestSplit(data, testFraction, seed: seed);
        var train = budget >= 1 ? split.TrainSet : ml.Data.TrainTestSplit(split.TrainSet, 1 - budget, seed: seed).TrainSet;

        var pipeline = Featurize(ml, frame).Append(Trainer(ml, frame.Task, candidate, threads));
        if (frame.Task == MlTask.Multiclass)
            pipeline = pipeline.Append<ITransformer>(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        var predictions = model.Transform(split.TestSet);
        var (metrics, confusion) = Evaluate(ml, frame.Task, predictions);

        using var zip = new MemoryStream();
        ml.Model.Save(model, loader, zip);
        return new TrainedModel(metrics, zip.ToArray(), watch.Elapsed.TotalSeconds, confusion);
    }

    /// <summary>
    /// Trains on all folds but <paramref name="fold"/> of the training rows and evaluates on that fold (the test set is
    /// never used); the folds come from the same seeded split in every fold activity.
    /// </summary>
    public static IReadOnlyDictionary<string, double> TrainFold(FeatureFrame frame, string modelInputCsv, CandidateSpec candidate, double testFraction, int seed, int fold, int folds, int? threads = null)
    {
        var ml = new MLContext(seed);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = frame.LoaderColumns(), Separators = [','], HasHeader = false, AllowQuoting = true, MissingRealsAsNaNs = true,
        });
        var train = ml.Data.TrainTestSplit(loader.Load(new InMemoryTextSource(modelInputCsv)), testFraction, seed: seed).TrainSet;
        var split = ml.Data.CrossValidationSplit(train, folds, seed: seed)[fold];
        var pipeline = Featurize(ml, frame).Append(Trainer(ml, frame.Task, candidate, threads));
        if (frame.Task == MlTask.Multiclass)
            pipeline = pipeline.Append<ITransformer>(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        return Evaluate(ml, frame.Task, pipeline.Fit(split.TrainSet).Transform(split.TestSet)).Item1;
    }

    /// <summary>
    /// Evaluates a saved model (its own loader and transforms) on the test split of <paramref name="modelInputCsv"/>,
    /// made with the same seed and fraction as training, so two models are compared on the same rows.
    /// </summary>
    public static IReadOnlyDictionary<string, double> EvaluateSaved(byte[] modelZip, string task, string modelInputCsv, double testFraction, int seed) =>
        EvaluateSaved(LoadSaved(modelZip, seed), task, modelInputCsv, testFraction, seed);

    /// <summary>A saved model loaded once, to be evaluated on several inputs.</summary>
    public sealed record SavedModel(MLContext Context, ITransformer Model, IDataLoader<IMultiStreamSource> Loader);

    public static SavedModel LoadSaved(byte[] modelZip, int seed)
    {
        var ml = new MLContext(seed);
        using var stream = new MemoryStream(modelZip, writable: false);
        var model = ml.Model.LoadWithDataLoader(stream, out var loader);
        return new SavedModel(ml, model, loader);
    }

    public static IReadOnlyDictionary<string, double> EvaluateSaved(SavedModel saved, string task, string modelInputCsv, double testFraction, int seed)
    {
        var split = saved.Context.Data.TrainTestSplit(saved.Loader.Load(new InMemoryTextSource(modelInputCsv)), testFraction, seed: seed);
        return Evaluate(saved.Context, task, saved.Model.Transform(split.TestSet)).Item1;
    }

    /// <summary>Evaluates a saved model on every row of <paramref name="modelInputCsv"/> (no split): a slice of a test set.</summary>
    public static IReadOnlyDictionary<string, double> EvaluateRows(SavedModel saved, string task, string modelInputCsv) =>
        Evaluate(saved.Context, task, saved.Model.Transform(saved.Loader.Load(new InMemoryTextSource(modelInputCsv)))).Item1;

    /// <summary>
    /// Positions (in input order) of the rows the seeded split puts in the test set. ML.NET's split draws one seeded
    /// number per row position, whatever the columns, so splitting the positions alone picks the same rows as
    /// <see cref="Train"/> and <see cref="EvaluateSaved(byte[], string, string, double, int)"/> do.
    /// </summary>
    public static int[] TestRowPositions(int rowCount, double testFraction, int seed)
    {
        var ml = new MLContext(seed);
        var positions = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rowCount).Select(i => new RowPosition { Position = i }));
        return ml.Data.TrainTestSplit(positions, testFraction, seed: seed).TestSet.GetColumn<int>(nameof(RowPosition.Position)).ToArray();
    }

    private sealed class RowPosition
    {
        public int Position { get; set; }
    }

    private static EstimatorChain<ITransformer> Featurize(MLContext ml, FeatureFrame frame)
    {
        var chain = new EstimatorChain<ITransformer>();
        var numeric = frame.FeatureColumns.Where(c => c.Kind is not (InputKind.Categorical or InputKind.Text)).Select(c => c.Name).ToArray();
        var categorical = frame.FeatureColumns.Where(c => c.Kind == InputKind.Categorical).Select(c => c.Name).ToArray();
        var text = frame.FeatureColumns.Where(c => c.Kind == InputKind.Text).Select(c => c.Name).ToArray();
        var parts = new List<string>();
        if (numeric.Length > 0)
        {
            var pairs = numeric.Select(n => new InputOutputColumnPair(n, n)).ToArray();
            var prep = frame.Preparation;
            var mode = prep.MissingValues switch
            {
                "minimum" => Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Minimum,
                "maximum" => Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Maximum,
                "mode" => Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mode,
                "zero" => Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.DefaultValue,
                _ => Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean,
            };
            chain = chain.Append<ITransformer>(ml.Transforms.ReplaceMissingValues(pairs, mode));
            chain = prep.Normalize switch
            {
                "none" => chain,
                "meanVariance" => chain.Append<ITransformer>(ml.Transforms.NormalizeMeanVariance(pairs)),
                _ => chain.Append<ITransformer>(ml.Transforms.NormalizeMinMax(pairs)),
            };
            parts.AddRange(numeric);
        }
        if (categorical.Length > 0)
        {
            var encoded = categorical.Select(n => new InputOutputColumnPair(n + "_onehot", n)).ToArray();
            chain = frame.Preparation.Categorical == "hash"
                ? chain.Append<ITransformer>(ml.Transforms.Categorical.OneHotHashEncoding(encoded, numberOfBits: 10))
                : chain.Append<ITransformer>(ml.Transforms.Categorical.OneHotEncoding(encoded));
            parts.AddRange(categorical.Select(n => n + "_onehot"));
        }
        foreach (var t in text)
        {
            chain = chain.Append<ITransformer>(ml.Transforms.Text.FeaturizeText(t + "_text", t));
            parts.Add(t + "_text");
        }
        if (parts.Count == 0) throw new ArgumentException("The project has no feature columns.");
        chain = chain.Append<ITransformer>(ml.Transforms.Concatenate("Features", parts.ToArray()));
        var label = frame.LabelColumn.Name;
        return frame.Task == MlTask.Multiclass
            ? chain.Append<ITransformer>(ml.Transforms.Conversion.MapValueToKey("Label", label))
            : chain.Append<ITransformer>(ml.Transforms.CopyColumns("Label", label));
    }

    private static IEstimator<ITransformer> Trainer(MLContext ml, string task, CandidateSpec candidate, int? threads = null)
    {
        var p = candidate.Parameters;
        int I(string name, int fallback) => p.TryGetValue(name, out var v) ? (int)Math.Round(v) : fallback;
        float F(string name, float fallback) => p.TryGetValue(name, out var v) ? (float)v : fallback;
        float? NF(string name) => p.TryGetValue(name, out var v) ? (float)v : null;
        int? NI(string name) => p.TryGetValue(name, out var v) ? (int)Math.Round(v) : null;
        const string L = "Label", X = "Features";
        // FastTree and FastForest: the candidate's tree parameters with ML.NET's defaults, and the threads given.
        TOptions Trees<TOptions>(TOptions options) where TOptions : TreeOptions
        {
            (options.LabelColumnName, options.FeatureColumnName, options.NumberOfThreads) = (L, X, threads);
            (options.NumberOfLeaves, options.NumberOfTrees, options.MinimumExampleCountPerLeaf) = (I("numberOfLeaves", 20), I("numberOfTrees", 100), I("minimumExampleCountPerLeaf", 10));
            if (options is BoostedTreeOptions boosted) boosted.LearningRate = F("learningRate", 0.2f);
            return options;
        }

        return (task, candidate.Trainer) switch
        {
            (MlTask.Multiclass, SearchSpace.LightGbm) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = L, FeatureColumnName = X, NumberOfLeaves = NI("numberOfLeaves"), LearningRate = p.TryGetValue("learningRate", out var lr) ? lr : null,
                NumberOfIterations = I("numberOfIterations", 100), MinimumExampleCountPerLeaf = NI("minimumExampleCountPerLeaf"), Seed = 1, NumberOfThreads = 1,
            }),
            (MlTask.Multiclass, SearchSpace.SdcaMaximumEntropy) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(L, X, null, NF("l2Regularization"), NF("l1Regularization"), NI("maximumNumberOfIterations")),
            (MlTask.Multiclass, SearchSpace.LbfgsMaximumEntropy) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(L, X, null, F("l1Regularization", 1), F("l2Regularization", 1)),
            (MlTask.Multiclass, SearchSpace.OneVersusAllFastTree) => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(Trees(new FastTreeBinaryTrainer.Options())), L),
            (MlTask.Binary, SearchSpace.FastTree) => ml.BinaryClassification.Trainers.FastTree(Trees(new FastTreeBinaryTrainer.Options())),
            (MlTask.Binary, SearchSpace.LightGbm) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = L, FeatureColumnName = X, NumberOfLeaves = NI("numberOfLeaves"), MinimumExampleCountPerLeaf = NI("minimumExampleCountPerLeaf"),
                LearningRate = p.TryGetValue("learningRate", out var blr) ? blr : null, NumberOfIterations = I("numberOfIterations", 100), NumberOfThreads = threads,
            }),
            (MlTask.Binary, SearchSpace.SdcaLogisticRegression) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(L, X, null, NF("l2Regularization"), NF("l1Regularization"), NI("maximumNumberOfIterations")),
            (MlTask.Binary, SearchSpace.LbfgsLogisticRegression) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(L, X, null, F("l1Regularization", 1), F("l2Regularization", 1)),
            (MlTask.Regression, SearchSpace.FastTree) => ml.Regression.Trainers.FastTree(Trees(new FastTreeRegressionTrainer.Options())),
            (MlTask.Regression, SearchSpace.LightGbm) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = L, FeatureColumnName = X, NumberOfLeaves = NI("numberOfLeaves"), MinimumExampleCountPerLeaf = NI("minimumExampleCountPerLeaf"),
                LearningRate = p.TryGetValue("learningRate", out var rlr) ? rlr : null, NumberOfIterations = I("numberOfIterations", 100), NumberOfThreads = threads,
            }),
            (MlTask.Regression, SearchSpace.Sdca) => ml.Regression.Trainers.Sdca(L, X, null, null, NF("l2Regularization"), NF("l1Regularization"), NI("maximumNumberOfIterations")),
            (MlTask.Regression, SearchSpace.FastForest) => ml.Regression.Trainers.FastForest(Trees(new FastForestRegressionTrainer.Options())),
            _ => throw new ArgumentException($"'{candidate.Trainer}' is not a {task} trainer."),
        };
    }

    private static (Dictionary<string, double>, Model.ConfusionMatrix?) Evaluate(MLContext ml, string task, IDataView predictions)
    {
        static Model.ConfusionMatrix Matrix(IReadOnlyList<string> classes, Microsoft.ML.Data.ConfusionMatrix m) =>
            new(classes, m.Counts.Select(row => (IReadOnlyList<double>)row.ToList()).ToList());
        switch (task)
        {
            case MlTask.Multiclass:
                var m = ml.MulticlassClassification.Evaluate(predictions);
                var keys = default(VBuffer<ReadOnlyMemory<char>>);
                predictions.Schema["Label"].GetKeyValues(ref keys);
                return (new() { ["microAccuracy"] = m.MicroAccuracy, ["macroAccuracy"] = m.MacroAccuracy, ["logLoss"] = m.LogLoss, ["logLossReduction"] = m.LogLossReduction },
                    Matrix(keys.DenseValues().Select(k => k.ToString()).ToList(), m.ConfusionMatrix));
            case MlTask.Binary:
                var b = ml.BinaryClassification.Evaluate(predictions);
                return (new() { ["accuracy"] = b.Accuracy, ["auc"] = b.AreaUnderRocCurve, ["f1Score"] = b.F1Score, ["precision"] = b.PositivePrecision, ["recall"] = b.PositiveRecall, ["logLoss"] = b.LogLoss },
                    Matrix(["true", "false"], b.ConfusionMatrix));
            default:
                var r = ml.Regression.Evaluate(predictions);
                return (new() { ["rmse"] = r.RootMeanSquaredError, ["mae"] = r.MeanAbsoluteError, ["rSquared"] = r.RSquared, ["mse"] = r.MeanSquaredError }, null);
        }
    }
}
