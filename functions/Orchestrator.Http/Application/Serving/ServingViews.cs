using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Http.Application.Serving;

/// <summary>Rows to score: each an object of feature name → value (string, number, boolean or null).</summary>
public sealed record PredictRequest(IReadOnlyList<Dictionary<string, JsonElement>?>? Rows);

/// <summary>One prediction: its id (for feedback), the predicted label or value, and the score per class (classification).</summary>
public sealed record PredictionView(string PredictionId, object? Value, IReadOnlyDictionary<string, double>? Scores);

/// <summary>
/// The predictions of the production model version, one per row in order; the fields of the rows the model does not
/// use, which were dropped (not scored, not logged), unless the model's features are hidden from the caller.
/// </summary>
public sealed record PredictionsView(string Project, int ModelVersion, IReadOnlyList<PredictionView> Predictions)
{
    /// <summary>Fields of the rows the model does not use (dropped); omitted when none, or when naming them would reveal a restricted model's features.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? IgnoredFields { get; init; }
}

/// <summary>The true label (string, number or boolean) of a logged prediction. <paramref name="By"/> is ignored: the caller is recorded.</summary>
public sealed record FeedbackItem(string? PredictionId, JsonElement Label, string? By);

/// <summary>How many feedback items were stored.</summary>
public sealed record FeedbackView(string Project, int Stored);
