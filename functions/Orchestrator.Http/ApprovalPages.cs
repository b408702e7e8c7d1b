using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Orchestrator.Workflows.Model;

namespace Orchestrator.Http;

/// <summary>The pages an SME sees from an approval link. Tokens never leak through Referer or caches.</summary>
internal static class ApprovalPages
{
    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    public static IResult Message(int status, string title, string message) =>
        new HtmlResult(status, Layout(title, $"<p>{E(message)}</p>"));

    public static IResult Review(ApprovalInfo approval, string approver, string token, TrialResult? trial, RunInfo? run, ModelVersionInfo? production)
    {
        var body = new StringBuilder();
        body.Append($"<p>Project <b>{E(approval.Project)}</b>, run <code>{E(approval.RunId)}</code>");
        if (run is not null) body.Append($", dataset {E(run.Dataset)} v{run.DatasetVersion}");
        body.Append($".</p><p>Candidate: <b>{E(trial?.Trainer)}</b> ({E(approval.TrialId)})</p>");
        body.Append("<table border=\"1\" cellpadding=\"4\"><tr><th>metric</th><th>candidate</th><th>production</th><th>KPI</th></tr>");
        foreach (var (metric, value) in approval.Metrics)
        {
            var kpi = approval.Kpis.FirstOrDefault(k => k.Metric == metric);
            var prod = production?.Metrics.TryGetValue(metric, out var p) == true ? F(p) : "–";
            var kpiText = kpi is null ? "" : $"{E(kpi.ToString())}: {(kpi.IsMetBy(value) ? "met" : "NOT met")}";
            body.Append($"<tr><td>{E(metric)}</td><td>{F(value)}</td><td>{prod}</td><td>{kpiText}</td></tr>");
        }
        body.Append("</table>");
        body.Append($"<p>You are signed in by this link as <b>{E(approver)}</b>. Decide before {E(approval.ExpiresAt.ToString("u", CultureInfo.InvariantCulture))}.</p>");
        body.Append($"<form method=\"post\" action=\"/api/approvals/{E(approval.ApprovalId)}\">");
        body.Append($"<input type=\"hidden\" name=\"token\" value=\"{E(token)}\">");
        body.Append("<p><label>Comment<br><textarea name=\"comment\" rows=\"4\" cols=\"60\"></textarea></label></p>");
        body.Append("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button> ");
        body.Append("<button type=\"submit\" name=\"decision\" value=\"reject\">Reject</button></form>");
        return new HtmlResult(200, Layout("Model approval", body.ToString()));
    }

    private static string Layout(string title, string body) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>{E(title)}</title></head>" +
        $"<body style=\"font-family:sans-serif;max-width:50em;margin:2em auto\"><h1>{E(title)}</h1>{body}</body></html>";

    private sealed class HtmlResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers["X-Frame-Options"] = "DENY";
            response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
            return response.WriteAsync(html);
        }
    }
}
