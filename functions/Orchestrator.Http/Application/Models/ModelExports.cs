using System.Globalization;
using Orchestrator.Http.Security;
using Orchestrator.Workflows.Export;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Models;

/// <summary>A model version's ONNX export: the file to download and how it compared with the ML.NET model.</summary>
public sealed record OnnxExportView(string Project, int Version, string FileName, OnnxCheck Check);

/// <summary>The export with its bytes (the route answers either the file or, asked to, only the view).</summary>
public sealed record OnnxExportFile(OnnxExportView View, byte[] Onnx);

/// <summary>
/// Exports of model versions to other formats: ONNX, converted once and checked against the ML.NET answers on the
/// version's smoke rows before anyone is handed the file.
/// </summary>
public sealed class ModelExports(ProjectStore projectStore, ModelStore modelStore, LakeStore lake, TimeProvider clock, DataRights rights)
{
    private readonly OnnxExporter _exporter = new(lake, clock);

    /// <summary>
    /// The ONNX file of a version: not found (project, version), forbidden when it was trained on a dataset restricted
    /// from the caller, conflict when the pipeline cannot be converted (naming the step), when there are no smoke rows
    /// to check it with, or — for the file, not for <c>check=true</c> — when the check failed.
    /// </summary>
    public async Task<Outcome<OnnxExportFile>> ExportOnnxAsync(string project, int version, string? check, AccessContext? access, CancellationToken ct)
    {
        if (Checks.Name(project, "project") is { } bad) return bad;
        if (check is not (null or "" or "true" or "false")) return Failure.Invalid("check", "true (answer how the export compared, as JSON) or false (the file).");
        if (await projectStore.GetProjectAsync(project, ct) is null) return Failure.ProjectNotFound(project);
        if (await modelStore.GetModelVersionAsync(project, version, ct) is not { } model)
            return Failure.NotFound("Model version not found", $"Project '{project}' has no model version {version}.");
        // The model is computed from its dataset's rows: a restricted dataset's model goes only to those who may read it.
        if (await rights.DemandAsync(access, project, model.Dataset, ct) is { } restricted) return restricted;
        OnnxExport export;
        try
        {
            export = await _exporter.ExportAsync(model, ct);
        }
        catch (OnnxNotConvertibleException e)
        {
            return Failure.Conflict("The model cannot be exported to ONNX", $"Model version {version}: {e.Message}") with
            {
                Extensions = new Dictionary<string, object?> { ["transform"] = e.Transform, ["column"] = e.Column, ["trainer"] = model.Trainer },
            };
        }
        catch (OnnxUncheckedException e)
        {
            return Failure.Conflict("The ONNX export cannot be checked", e.Message);
        }
        var view = new OnnxExportView(project, version, $"{project}-v{version.ToString(CultureInfo.InvariantCulture)}.onnx", export.Check);
        if (check != "true" && !export.Check.Passed)
            return Failure.Conflict("The ONNX export does not answer as the model does", $"Model version {version}: {export.Check.Detail}") with
            {
                Extensions = new Dictionary<string, object?> { ["check"] = export.Check },
            };
        return Outcome<OnnxExportFile>.Ok(new OnnxExportFile(view, export.Onnx)) with
        {
            AuditDetail = $"version {version}, {(check == "true" ? "check" : "file")}, {export.Check.Bytes} bytes, sha256 {export.Check.Sha256}, check {(export.Check.Passed ? "passed" : "failed")}",
        };
    }
}
