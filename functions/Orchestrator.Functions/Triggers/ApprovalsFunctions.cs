using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP triggers of <see cref="ApprovalsApi"/>: one line each onto the route of the same name (anonymous to the host: the access middleware checks each route's rule).</summary>
public sealed class ApprovalsFunctions(ApiInvoker api)
{
    [Function(nameof(ApprovalsApi.ListApprovals))]
    public Task<IActionResult> ListApprovals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + ApprovalsApi.ApprovalsRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(ApprovalsApi.GetApprovalPage))]
    public Task<IActionResult> GetApprovalPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + ApprovalsApi.ApprovalRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(ApprovalsApi.DecideApproval))]
    public Task<IActionResult> DecideApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ApprovalsApi.ApprovalRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);

    [Function(nameof(ApprovalsApi.ResendApproval))]
    public Task<IActionResult> ResendApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ApprovalsApi.ResendRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);

    [Function(nameof(ApprovalsApi.CancelApproval))]
    public Task<IActionResult> CancelApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoute.PathPrefix + ApprovalsApi.CancelRoute)] HttpRequest req, FunctionContext context,
        [DurableClient] DurableTaskClient client) =>
        api.InvokeAsync(context, req, client);
}
