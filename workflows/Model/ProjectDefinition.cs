using System.Text.Json.Serialization;

namespace Orchestrator.Workflows.Model;

/// <summary>The learning task a project solves; decides trainers and metrics.</summary>
public static class MlTask
{
    public const string Multiclass = "multiclass";
    public const string Binary = "binary";
    public const string Regression = "regression";

    public static readonly IReadOnlyList<string> All = [Multiclass, Binary, Regression];
}

/// <summary>A key performance indicator the best model must meet before anyone is asked to approve it.</summary>
/// <param name="Metric">Metric name, e.g. <c>microAccuracy</c>.</param>
/// <param name="Min">Lower bound (inclusive), if any.</param>
/// <param name="Max">Upper bound (inclusive), if any.</param>
public sealed record Kpi(string Metric, double? Min = null, double? Max = null)
{
    /// <summary>
    /// The bounds hold overall and in every slice of <c>evaluation.sliceBy</c> with at least 10 test rows
    /// (<c>SliceEvaluation.MinRowsForKpi</c>; smaller slices are reported, not judged).
    /// </summary>
    public bool PerSlice { get; init; }

    /// <summary>True when <paramref name="value"/> satisfies both bounds.</summary>
    public bool IsMetBy(double value) => (Min is null || value >= Min) && (Max is null || value <= Max);

    public override string ToString() => (Min, Max) switch
    {
        (not null, not null) => $"{Min} <= {Metric} <= {Max}",
        (not null, null) => $"{Metric} >= {Min}",
        (null, not null) => $"{Metric} <= {Max}",
        _ => Metric,
    } + (PerSlice ? " in every slice" : "");
}

/// <summary>How trials are evaluated beyond the test set as a whole.</summary>
public sealed record EvaluationSettings
{
    /// <summary>
    /// Categorical (or true/false) columns whose values each get the task's metrics on the test rows that have them,
    /// e.g. <c>["Island"]</c>; at most 5 columns, and the 20 most frequent values of each in the test set.
    /// </summary>
    public IReadOnlyList<string> SliceBy { get; init; } = [];
}

/// <summary>One training configuration to try: a trainer and its hyperparameters.</summary>
public sealed record CandidateSpec(string Trainer, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>Stable, readable key, e.g. <c>LightGbm(learningRate=0.1,numberOfLeaves=16)</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => $"{Trainer}({string.Join(",", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))})";
}

/// <summary>
/// How features are prepared, inside the model (so prediction takes raw rows): missing numbers replaced by
/// <c>mean</c>, <c>median</c>, <c>minimum</c>, <c>maximum</c>, <c>mode</c>, <c>zero</c> or <c>constant</c>; numbers normalised <c>minMax</c>,
/// <c>meanVariance</c> or <c>none</c>; categories <c>oneHot</c> or <c>hash</c>; dates always become
/// year/month/day-of-year/day-of-week; text goes through ML.NET's text featurizer.
/// </summary>
public sealed record Featurization
{
    public static readonly IReadOnlyList<string> MissingModes = ["mean", "median", "minimum", "maximum", "mode", "zero", "constant"];
    public static readonly IReadOnlyList<string> NormalizeModes = ["minMax", "meanVariance", "none"];
    public static readonly IReadOnlyList<string> CategoricalModes = ["oneHot", "hash"];

    public string MissingValues { get; init; } = "mean";
    /// <summary>The value of <c>missingValues: "constant"</c>.</summary>
    public double MissingConstant { get; init; }
    public string Normalize { get; init; } = "minMax";
    public string Categorical { get; init; } = "oneHot";
    /// <summary>Columns never used as features.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
}

/// <summary>What a data scientist declares about a project (<c>PUT /api/projects/{project}</c>).</summary>
public sealed record ProjectDefinition
{
    [JsonIgnore] public string Name { get; init; } = "";
    public string Task { get; init; } = "";
    public string Label { get; init; } = "";
    /// <summary>Feature columns; null or empty means every column but the label.</summary>
    public IReadOnlyList<string>? Features { get; init; }
    public string PrimaryMetric { get; init; } = "";
    public IReadOnlyList<Kpi> Kpis { get; init; } = [];
    /// <summary>How features are prepared (defaults: mean, min-max, one-hot).</summary>
    public Featurization? Featurization { get; init; }
    /// <summary>Approver emails, or group names resolved from <c>Approvals:Groups</c>.</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];
    /// <summary>Approvals needed; any reject decides reject.</summary>
    public int Quorum { get; init; } = 1;
    /// <summary>When approvers who have not decided get a reminder.</summary>
    public TimeSpan RemindAfter { get; init; } = TimeSpan.FromHours(24);
    /// <summary>When the escalation contacts get links of their own.</summary>
    public TimeSpan EscalateAfter { get; init; } = TimeSpan.FromHours(72);
    /// <summary>Escalation contacts (emails or group names).</summary>
    public IReadOnlyList<string> EscalationContacts { get; init; } = [];
    /// <summary>Final deadline of the approval (expireAfter): no decision by then → run <c>TimedOut</c>.</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromDays(7);
    /// <summary>Alias of <see cref="ApprovalTimeout"/> (the name the approval policy uses).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TimeSpan? ExpireAfter { get => null; init { if (value is { } v) ApprovalTimeout = v; } }
    /// <summary>NCRONTAB expression (six fields, with seconds) for scheduled retraining, or null.</summary>
    public string? RetrainSchedule { get; init; }
    /// <summary>Candidates to train as listed; null means <see cref="SearchSpace"/>, or the task's defaults.</summary>
    public IReadOnlyList<CandidateSpec>? Candidates { get; init; }
    /// <summary>A search over hyperparameter ranges (grid, random or successive halving).</summary>
    public Training.SearchSpaceDefinition? SearchSpace { get; init; }
    /// <summary>
    /// When set and a model is in production, the challenger must beat it on the primary metric by at least this much,
    /// both evaluated on this run's test set; otherwise the run ends <c>NotBetter</c> and nobody is asked to approve.
    /// </summary>
    public double? MinImprovement { get; init; }
    /// <summary>No new trial starts once the sweep has run this long; the best so far decides.</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>No new trial starts once a trial meets this target (e.g. <c>{"metric":"microAccuracy","min":0.85}</c>).</summary>
    public Kpi? StopWhen { get; init; }
    /// <summary>At most this many trials train at once; null means the worker's cores, at most 4.</summary>
    public int? MaxParallelTrials { get; init; }

    /// <summary>Upper bound of concurrently running trials when <see cref="MaxParallelTrials"/> is not set, whatever the machine.</summary>
    public const int DefaultMaxParallelTrials = 4;

    /// <summary>How many of the project's trials train at once.</summary>
    public int ParallelTrials() => MaxParallelTrials ?? Math.Clamp(Environment.ProcessorCount, 1, DefaultMaxParallelTrials);
    /// <summary>Stop the sweep (run Failed) once more trials than this have failed; null means only when all fail.</summary>
    public int? MaxFailedTrials { get; init; }
    /// <summary>
    /// k-fold cross-validation of every trial on the training rows (k folds fanned out inside the trial), reported as
    /// <c>cv.{metric}.mean</c>/<c>.std</c> next to the test-set metrics; null means the train/test split alone.
    /// </summary>
    public int? CrossValidationFolds { get; init; }
    /// <summary>Metrics per slice of the test set (<c>sliceBy</c>); null means the test set as a whole only.</summary>
    public EvaluationSettings? Evaluation { get; init; }
    /// <summary>Share of rows held out as the test set.</summary>
    public double TestFraction { get; init; } = 0.2;
    /// <summary>Seed of the train/test split and of the trainers.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Start a retraining run on a schedule only when a newer dataset version exists (<c>newData</c>, default) or every time (<c>always</c>).</summary>
    public string RetrainWhen { get; init; } = RetrainCondition.NewData;
    /// <summary>How the production model is watched (drift, performance, alerts); on by default.</summary>
    public MonitoringSettings Monitoring { get; init; } = new();
    /// <summary>
    /// Four eyes on production: an approved model goes to <c>staging</c>, and only someone who did not approve it may
    /// promote it to <c>production</c>.
    /// </summary>
    public bool FourEyes { get; init; }

    /// <summary>How predictions are served beyond the production model: canary (shadow) traffic to the staging model.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DeploymentSettings? Deployment { get; init; }

    /// <summary>Scheduled batch scoring of a dataset's latest ready version with the production model.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BatchScoringSchedule? BatchScoring { get; init; }
}

/// <summary>
/// Batch scoring started by the timer: once <c>schedule</c> (NCRONTAB with seconds) comes due after the dataset's
/// latest version became ready, that version is scored with what serves production — once per pair of model version
/// and dataset version (its batch id is derived from them).
/// </summary>
public sealed record BatchScoringSchedule(string? Dataset, string? Schedule, string? Rows = null);

/// <summary>
/// Shadow traffic: <c>canaryPercent</c> percent of the predictions production serves (chosen by a hash of their
/// prediction id, so the share is exact over many requests and the same ids are always chosen) are also scored by the
/// staging model, off the request path, and logged under the same prediction id; the caller only ever gets production's answer.
/// </summary>
public sealed record DeploymentSettings
{
    /// <summary>Share of predictions also scored by the staging model, 0 (off) to 100, to two decimals.</summary>
    public double CanaryPercent { get; init; }

    /// <summary>What is wrong with <paramref name="settings"/>, each against its field (<c>deployment.*</c>).</summary>
    public static IEnumerable<(string Field, string Message)> Problems(DeploymentSettings? settings)
    {
        // Written so that NaN fails too (every comparison with NaN is false).
        if (settings is not null && !(settings.CanaryPercent >= 0 && settings.CanaryPercent <= 100))
            yield return ("deployment.canaryPercent", "A percentage from 0 (no shadow traffic) to 100.");
    }
}

/// <summary>When a scheduled retraining starts a run.</summary>
public static class RetrainCondition
{
    public const string NewData = "newData";
    public const string Always = "always";
}

/// <summary>
/// Monitoring of the production model: every <see cref="Interval"/>, the logged predictions of the last
/// <see cref="Window"/> are compared with the training data (drift per feature, prediction drift) and, where feedback
/// came back, scored against the KPIs. Dataset drift, prediction drift or a KPI breach is an alert: recorded, emailed
/// (to <see cref="AlertEmails"/>, or the approvers), and with <see cref="RetrainOnDrift"/> a retraining run on the newest
/// data (at most one per <see cref="Cooldown"/>). Thresholds as in Azure ML / Evidently.
/// </summary>
public sealed record MonitoringSettings
{
    public bool Enabled { get; init; } = true;
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(1);
    /// <summary>Time between checks; null means the window (back-to-back windows).</summary>
    public TimeSpan? Interval { get; init; }
    public bool RetrainOnDrift { get; init; }
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromDays(7);
    public IReadOnlyList<string>? AlertEmails { get; init; }
    /// <summary>Wasserstein distance over the baseline std above which a numeric feature drifts (baselines over 1,000 rows).</summary>
    public double NumericThreshold { get; init; } = 0.1;
    /// <summary>Jensen–Shannon distance above which a categorical feature drifts (baselines over 1,000 rows).</summary>
    public double CategoricalThreshold { get; init; } = 0.1;
    /// <summary>p-value below which K-S / chi-squared say a feature drifts (baselines of 1,000 rows or fewer).</summary>
    public double PValue { get; init; } = 0.05;
    /// <summary>Share of drifted features from which the dataset drifts.</summary>
    public double DatasetDriftShare { get; init; } = 0.5;

    public TimeSpan EffectiveInterval => Interval ?? Window;
}
