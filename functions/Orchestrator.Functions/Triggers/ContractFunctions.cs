using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Orchestrator.Http.Contract;

namespace Orchestrator.Functions.Triggers;

/// <summary>The API contract on the Functions app, as on the server: the OpenAPI document and its reference page, public like the portal's files.</summary>
public static class ContractFunctions
{
    public const string DocumentName = "OpenApiDocument";
    public const string ReferenceName = "ApiReference";

    [Function(DocumentName)]
    public static IActionResult Document(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiContractFiles.DocumentRoute)] HttpRequest req) =>
        ApiContractFiles.Document(req.HttpContext).ToActionResult();

    [Function(ReferenceName)]
    public static IActionResult Reference(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiContractFiles.ReferenceRoute + "/{*asset}")] HttpRequest req, string? asset) =>
        ApiContractFiles.Reference(req.HttpContext, asset).ToActionResult();
}
