using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Application;
using Orchestrator.Http.Application.Batches;
using Orchestrator.Http.Security;

namespace Orchestrator.Http.Api;

/// <summary>Batch scorings: the status URL a <c>POST .../models/{version}/batch</c> answers with.</summary>
public static class BatchesApi
{
    public const string BatchRoute = "batches/{id}";

    public static readonly ApiResource Resource = new("Batches", "Batch scorings of dataset versions: progress, and where the Parquet output is.",
    [
        new(nameof(GetBatch), "GET", BatchRoute, GetBatch)
        {
            Permission = Permission.Read, Data = DataScope.Derived,
            Summary = "A batch scoring's status: parts done of total, rows read and scored, the output prefix and manifest",
            Description = "Read on the batch's project (403 otherwise) and on the dataset it scored when that is restricted.",
            Problems = [400, 403, 404],
        },
    ]);

    public static Task<ApiResult<BatchView>> GetBatch(HttpContext context, string id, BatchService batches, DurableTaskClient client, CancellationToken ct) =>
        batches.GetAsync(id, AccessGate.Current(context), client, ct).ToApi();
}
