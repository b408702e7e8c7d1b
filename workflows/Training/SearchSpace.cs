using Orchestrator.Workflows.Model;

namespace Orchestrator.Workflows.Training;

/// <summary>Trainer names, per task, and the default candidates tried when a project names none.</summary>
public static class SearchSpace
{
    public const string LightGbm = "LightGbm";
    public const string FastTree = "FastTree";
    public const string FastForest = "FastForest";
    public const string SdcaMaximumEntropy = "SdcaMaximumEntropy";
    public const string LbfgsMaximumEntropy = "LbfgsMaximumEntropy";
    public const string OneVersusAllFastTree = "OneVersusAllFastTree";
    public const string SdcaLogisticRegression = "SdcaLogisticRegression";
    public const string LbfgsLogisticRegression = "LbfgsLogisticRegression";
    public const string Sdca = "Sdca";

    /// <summary>Trainers available for each task.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> TrainersByTask = new Dictionary<string, string[]>
    {
        [MlTask.Multiclass] = [LightGbm, SdcaMaximumEntropy, LbfgsMaximumEntropy, OneVersusAllFastTree],
        [MlTask.Binary] = [FastTree, LightGbm, SdcaLogisticRegression, LbfgsLogisticRegression],
        [MlTask.Regression] = [FastTree, LightGbm, Sdca, FastForest],
    };

    /// <summary>Hyperparameters each trainer understands.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ParametersByTrainer = new Dictionary<string, string[]>
    {
        [LightGbm] = ["numberOfLeaves", "learningRate", "numberOfIterations", "minimumExampleCountPerLeaf"],
        [FastTree] = ["numberOfLeaves", "learningRate", "numberOfTrees", "minimumExampleCountPerLeaf"],
        [OneVersusAllFastTree] = ["numberOfLeaves", "learningRate", "numberOfTrees", "minimumExampleCountPerLeaf"],
        [FastForest] = ["numberOfLeaves", "numberOfTrees", "minimumExampleCountPerLeaf"],
        [SdcaMaximumEntropy] = ["l1Regularization", "l2Regularization", "maximumNumberOfIterations"],
        [SdcaLogisticRegression] = ["l1Regularization", "l2Regularization", "maximumNumberOfIterations"],
        [Sdca] = ["l1Regularization", "l2Regularization", "maximumNumberOfIterations"],
        [LbfgsMaximumEntropy] = ["l1Regularization", "l2Regularization"],
        [LbfgsLogisticRegression] = ["l1Regularization", "l2Regularization"],
    };

    /// <summary>Two trainers × three settings per task: small enough to run in a minute on two cores.</summary>
    public static IReadOnlyList<CandidateSpec> Default(string task)
    {
        static CandidateSpec C(string trainer, params (string Key, double Value)[] p) =>
            new(trainer, p.ToDictionary(x => x.Key, x => x.Value));
        return task switch
        {
            MlTask.Multiclass =>
            [
                C(LightGbm, ("numberOfLeaves", 8), ("learningRate", 0.1), ("numberOfIterations", 100)),
                C(LightGbm, ("numberOfLeaves", 16), ("learningRate", 0.05), ("numberOfIterations", 200)),
                C(LightGbm, ("numberOfLeaves", 31), ("learningRate", 0.2), ("numberOfIterations", 50)),
                C(LbfgsMaximumEntropy, ("l1Regularization", 0), ("l2Regularization", 1)),
                C(LbfgsMaximumEntropy, ("l1Regularization", 0.1), ("l2Regularization", 0.1)),
                C(LbfgsMaximumEntropy, ("l1Regularization", 1), ("l2Regularization", 0.01)),
            ],
            MlTask.Binary =>
            [
                C(FastTree, ("numberOfLeaves", 8), ("learningRate", 0.1), ("numberOfTrees", 100)),
                C(FastTree, ("numberOfLeaves", 20), ("learningRate", 0.2), ("numberOfTrees", 50)),
                C(LightGbm, ("numberOfLeaves", 16), ("learningRate", 0.1), ("numberOfIterations", 100)),
                C(LbfgsLogisticRegression, ("l1Regularization", 0), ("l2Regularization", 1)),
                C(LbfgsLogisticRegression, ("l1Regularization", 0.1), ("l2Regularization", 0.1)),
                C(LbfgsLogisticRegression, ("l1Regularization", 1), ("l2Regularization", 0.01)),
            ],
            MlTask.Regression =>
            [
                C(FastTree, ("numberOfLeaves", 8), ("learningRate", 0.1), ("numberOfTrees", 100)),
                C(FastTree, ("numberOfLeaves", 20), ("learningRate", 0.2), ("numberOfTrees", 50)),
                C(LightGbm, ("numberOfLeaves", 16), ("learningRate", 0.1), ("numberOfIterations", 100)),
                C(FastForest, ("numberOfLeaves", 16), ("numberOfTrees", 100)),
                C(Sdca, ("l2Regularization", 0.1)),
                C(Sdca, ("l2Regularization", 0.001)),
            ],
            _ => throw new ArgumentException($"Unknown task '{task}'.", nameof(task)),
        };
    }

    /// <summary>Problems with a declared candidate list, as (field, message) pairs.</summary>
    public static IEnumerable<(string Field, string Message)> Validate(string task, IReadOnlyList<CandidateSpec> candidates)
    {
        if (!TrainersByTask.TryGetValue(task, out var trainers)) yield break;
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (!trainers.Contains(c.Trainer))
            {
                yield return ($"candidates[{i}].trainer", $"'{c.Trainer}' is not a {task} trainer; use one of {string.Join(", ", trainers)}.");
                continue;
            }
            foreach (var p in c.Parameters?.Keys ?? Enumerable.Empty<string>())
                if (!ParametersByTrainer[c.Trainer].Contains(p))
                    yield return ($"candidates[{i}].parameters.{p}", $"{c.Trainer} has no parameter '{p}'; it takes {string.Join(", ", ParametersByTrainer[c.Trainer])}.");
        }
    }
}

/// <summary>Metric names per task and which way is better.</summary>
public static class Metrics
{
    public static readonly IReadOnlyDictionary<string, string[]> ByTask = new Dictionary<string, string[]>
    {
        [MlTask.Multiclass] = ["microAccuracy", "macroAccuracy", "logLoss", "logLossReduction"],
        [MlTask.Binary] = ["accuracy", "auc", "f1Score", "precision", "recall", "logLoss"],
        [MlTask.Regression] = ["rmse", "mae", "rSquared", "mse"],
    };

    /// <summary>True when a lower value of <paramref name="metric"/> is better (losses and errors).</summary>
    public static bool LowerIsBetter(string metric) => metric is "logLoss" or "rmse" or "mae" or "mse";
}
