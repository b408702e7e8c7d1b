using System.Text.Json;

namespace Orchestrator.Http.Application.Serving;

/// <summary>Rows to score: each an object of feature name → value (string, number, boolean or null).</summary>
public sealed record PredictRequest(IReadOnlyList<Dictionary<string, JsonElement>?>? Rows);

/// <summary>One prediction: its id (for feedback), the predicted label or value, and the score per class (classification).</summary>
public sealed record PredictionView(string PredictionId, object? Value, IReadOnlyDictionary<string, double>? Scores);

/// <summary>The predictions of the production model version, one per row in order.</summary>
public sealed record PredictionsView(string Project, int ModelVersion, IReadOnlyList<PredictionView> Predictions);

/// <summary>The true label (string, number or boolean) of a logged prediction. <paramref name="By"/> is ignored: the caller is recorded.</summary>
public sealed record FeedbackItem(string? PredictionId, JsonElement Label, string? By);

/// <summary>How many feedback items were stored.</summary>
public sealed record FeedbackView(string Project, int Stored);
