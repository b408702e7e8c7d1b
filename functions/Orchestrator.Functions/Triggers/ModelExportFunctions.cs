using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Api;

namespace Orchestrator.Functions.Triggers;

/// <summary>The HTTP trigger of <see cref="ModelsApi.ExportModelOnnx"/> (a model version as ONNX), onto the route of the same name.</summary>
public sealed class ModelExportFunctions(ApiInvoker api)
{
    [Function(nameof(ModelsApi.ExportModelOnnx))]
    public Task<IActionResult> ExportModelOnnx(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoute.PathPrefix + ModelsApi.OnnxRoute)] HttpRequest req, FunctionContext context) =>
        api.InvokeAsync(context, req);
}
