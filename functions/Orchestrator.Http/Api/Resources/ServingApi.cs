using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Application.Serving;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>Serving: predictions from the production model, and ground truth for them.</summary>
public static class ServingApi
{
    public const string PredictRoute = "projects/{project}/predict";
    public const string FeedbackRoute = "projects/{project}/feedback";

    /// <summary>16 MiB: predict and feedback carry batches of rows (up to <see cref="Application.Serving.ServingOptions.MaxRows"/>), not one object.</summary>
    public const long BatchBodyBytes = 16L * 1024 * 1024;

    public static readonly ApiResource Resource = new("Serving", "Predictions from the production model (each logged) and feedback with the true labels.",
    [
        new(nameof(Predict), "POST", PredictRoute, Predict)
        {
            Permission = Permission.Predict, Scope = AccessScope.Project, Data = DataScope.Derived,
            Summary = "Score rows with the production model", Problems = [400, 404, 409, 413], MaxBodyBytes = BatchBodyBytes,
        },
        new(nameof(Feedback), "POST", FeedbackRoute, Feedback)
        {
            Permission = Permission.Predict, Scope = AccessScope.Project, Summary = "Send the true labels of logged predictions", Problems = [400, 404, 413],
            MaxBodyBytes = BatchBodyBytes,
        },
    ]);

    public static Task<ApiResult<PredictionsView>> Predict(HttpContext context, string project, JsonBody<PredictRequest> body, ServingService serving,
        CancellationToken ct) =>
        serving.PredictAsync(project, body.Value, AccessGate.Current(context), ct).ToApi();

    public static Task<ApiResult<FeedbackView>> Feedback(string project, JsonBody<List<FeedbackItem>> body, ServingService serving, HttpContext context, CancellationToken ct) =>
        serving.FeedbackAsync(project, body.Value, AccessGate.Current(context)?.Caller.Id, ct).ToApi();
}
