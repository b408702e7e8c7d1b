using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Orchestrator.Http.Application;
using Orchestrator.Http.Application.Approvals;

namespace Orchestrator.Http.Api;

/// <summary>The pages an SME sees from an approval link. Tokens never leak through Referer or caches.</summary>
internal static class ApprovalPages
{
    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    public static IResult Message(int status, string title, string message) =>
        new HtmlResult(status, Layout(title, $"<p>{E(message)}</p>"));

    /// <summary>The link's page: the review, that it is decided already, or why the link does not open it.</summary>
    public static IResult Of(Outcome<ApprovalReview> outcome) => outcome switch
    {
        { Failure: { } failure } => Message(OutcomeResults.StatusOf(failure.Kind), failure.Title, failure.Detail),
        { Value.Closed: { } closed } => Message(200, "Already decided", closed),
        _ => Review(outcome.Value!),
    };

    /// <summary>What a decision posted from the page answers: thanks, or why it was not recorded.</summary>
    public static IResult Of(Outcome<DecisionView> outcome) => outcome.Failure is { } failure
        ? Message(OutcomeResults.StatusOf(failure.Kind), failure.Title, failure.Detail)
        : Message(200, "Thank you", $"Your decision was recorded. {outcome.Value!.Message}");

    private static HtmlResult Review(ApprovalReview review)
    {
        var (approval, approver, token, trial, run, production, dataset, card) =
            (review.Approval, review.Approver, review.Token, review.Trial, review.Run, review.Production, review.Dataset, review.Card);
        var body = new StringBuilder();
        body.Append($"<p>Project <b>{E(approval.Project)}</b>, run <code>{E(approval.RunId)}</code>.</p>");
        body.Append($"<p>Candidate <b>{E(trial?.Trainer)}</b> ({E(approval.TrialId)}) {E(trial is null ? "" : string.Join(", ", trial.Parameters.Select(p => $"{p.Key}={F(p.Value)}")))}</p>");

        body.Append("<h2>Metrics on the test set</h2><div class=\"scroll\"><table><tr><th>metric</th><th>candidate</th><th>champion");
        // The champion's figures on this run's test set when they were measured (minImprovement), else its own.
        var championMetrics = run?.Champion?.ChampionMetrics ?? production?.Metrics;
        body.Append(production is null ? "" : $" (v{production.Version}{(run?.Champion is null ? "" : ", same test set")})").Append("</th><th>KPI</th></tr>");
        foreach (var (metric, value) in approval.Metrics)
        {
            var kpi = approval.Kpis.FirstOrDefault(k => k.Metric == metric);
            var prod = championMetrics?.TryGetValue(metric, out var p) == true ? F(p) : "–";
            var kpiText = kpi is null ? "" : $"{E(kpi.ToString())}: <b class=\"{(kpi.IsMetBy(value) ? "ok" : "bad")}\">{(kpi.IsMetBy(value) ? "met" : "NOT met")}</b>";
            body.Append($"<tr><td>{E(metric)}</td><td>{F(value)}</td><td>{prod}</td><td>{kpiText}</td></tr>");
        }
        body.Append("</table></div>");

        // Slices show values of the dataset's rows: withheld with the rest of what the rows gave.
        if (review.Withheld is null && trial?.Slices is { Count: > 0 } slices)
            AppendSlices(body, slices, approval.Kpis);

        if (trial?.ConfusionMatrix is { } cm)
        {
            body.Append("<h2>Confusion matrix</h2><p class=\"note\">Rows: actual class; columns: predicted.</p><div class=\"scroll\"><table><tr><th></th>");
            foreach (var c in cm.Classes) body.Append($"<th>{E(c)}</th>");
            body.Append("</tr>");
            for (var i = 0; i < cm.Counts.Count; i++)
            {
                body.Append($"<tr><th>{E(i < cm.Classes.Count ? cm.Classes[i] : "?")}</th>");
                for (var j = 0; j < cm.Counts[i].Count; j++)
                    body.Append(i == j ? $"<td><b>{F(cm.Counts[i][j])}</b></td>" : $"<td>{F(cm.Counts[i][j])}</td>");
                body.Append("</tr>");
            }
            body.Append("</table></div>");
        }

        if (card?.PerClassRecall is { Count: > 0 } recall)
        {
            body.Append("<h2>Recall per class</h2><div class=\"scroll\"><table><tr>");
            foreach (var c in recall.Keys) body.Append($"<th>{E(c)}</th>");
            body.Append("</tr><tr>");
            foreach (var r in recall.Values) body.Append($"<td>{F(r)}</td>");
            body.Append("</tr></table></div>");
        }

        if (card?.FeatureImportance is { Count: > 0 } importance)
        {
            body.Append($"<h2>What the model relies on</h2><p class=\"note\">Drop in {E(card.PrimaryMetric)} when a column's values are shuffled.</p><table>");
            foreach (var f in importance) body.Append($"<tr><th>{E(f.Feature)}</th><td>{F(f.Drop)}</td></tr>");
            body.Append("</table>");
        }

        if (dataset is not null)
        {
            body.Append($"<h2>Data</h2><p>Dataset <b>{E(dataset.Dataset)}</b> v{dataset.Version}: {dataset.RowsIn} rows received, {dataset.RowsOut} used, ");
            body.Append($"{dataset.RowsQuarantined} quarantined. Content hash <code>{E(dataset.ContentHash?[..Math.Min(12, dataset.ContentHash.Length)])}</code>.</p>");
        }

        if (review.Withheld is { } restricted)
            body.Append($"<h2>Data</h2><p class=\"note\">Dataset <b>{E(restricted.Dataset)}</b> is restricted to {E(string.Join(", ", restricted.RestrictedTo ?? []))}: ")
                .Append("this link does not show what its rows gave (metrics per slice, confusion matrix, recall per class, what the model relies on, the version's figures). ")
                .Append("Someone the restriction names sees them in the model card, signed in to the portal.</p>");

        var approvals = approval.DecisionList.Count(d => d.Decision == "approve");
        body.Append($"<h2>Your decision</h2><p>You are <b>{E(approver)}</b> (this link is yours). {approvals} of {approval.Quorum} approvals so far. ");
        body.Append($"Decide before {E(approval.ExpiresAt.ToString("u", CultureInfo.InvariantCulture))}.</p>");
        body.Append($"<form method=\"post\" action=\"/api/approvals/{E(approval.ApprovalId)}\">");
        body.Append($"<input type=\"hidden\" name=\"token\" value=\"{E(token)}\">");
        body.Append("<label>If you reject, why<select name=\"reason\"><option value=\"metric\">metric</option><option value=\"data\">data</option>");
        body.Append("<option value=\"fairness\">fairness</option><option value=\"other\">other</option></select></label>");
        body.Append("<label>Comment<textarea name=\"comment\" rows=\"4\"></textarea></label>");
        body.Append("<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>");
        body.Append("<button type=\"submit\" name=\"decision\" value=\"reject\" class=\"reject\">Reject</button></div></form>");
        return new HtmlResult(200, Layout("Model approval", body.ToString()));
    }

    /// <summary>One row per slice, one column per metric; a cell that misses a per-slice KPI is marked.</summary>
    private static void AppendSlices(StringBuilder body, IReadOnlyList<Workflows.Model.SliceMetrics> slices, IReadOnlyList<Workflows.Model.Kpi> kpis)
    {
        var metrics = slices.SelectMany(s => s.Metrics.Keys).Distinct().ToList();
        body.Append("<h2>Metrics per slice</h2><p class=\"note\">The test set's rows by value of a column. ")
            .Append($"Per-slice KPIs are judged in slices of at least {Workflows.Training.SliceEvaluation.MinRowsForKpi} test rows.</p>")
            .Append("<div class=\"scroll\"><table><tr><th>slice</th><th>test rows</th>");
        foreach (var m in metrics) body.Append($"<th>{E(m)}</th>");
        body.Append("</tr>");
        foreach (var slice in slices)
        {
            body.Append($"<tr><th>{E(slice.Name)}</th><td>{slice.Rows}</td>");
            foreach (var m in metrics)
            {
                if (!slice.Metrics.TryGetValue(m, out var v)) { body.Append("<td>–</td>"); continue; }
                var missed = slice.Rows >= Workflows.Training.SliceEvaluation.MinRowsForKpi && kpis.Any(k => k.PerSlice && k.Metric == m && !k.IsMetBy(v));
                body.Append(missed ? $"<td><b class=\"bad\">{F(v)}</b></td>" : $"<td>{F(v)}</td>");
            }
            body.Append("</tr>");
        }
        body.Append("</table></div>");
    }

    // The portal's look (its header, palette and type, from portal/src/styles.css and the shell), readable on a phone:
    // one column, tables scroll sideways, large buttons. Inline, as the page is served alone under its own strict policy.
    private const string Style =
        ":root{--bg:#f6f7f9;--surface:#fff;--text:#1c2430;--muted:#505c6c;--border:#d5dae1;--ok:#1a7f37;--bad:#b42318;--accent:#0b5cad}" +
        "html,body{margin:0;background:var(--bg);color:var(--text);font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}" +
        "header{background:#14273e;color:#fff}header div{max-width:46em;margin:0 auto;padding:.6em 1em;font-weight:700;font-size:1.1rem}" +
        "main{max-width:46em;margin:0 auto;padding:1em;box-sizing:border-box}h1{font-size:1.5rem;margin:.2em 0 .6em}h2{font-size:1.15rem;margin:1.2em 0 .4em}" +
        "section{background:var(--surface);border:1px solid var(--border);border-radius:6px;padding:.2em 1em 1em}" +
        "table{border-collapse:collapse;margin:.5em 0;background:var(--surface)}td,th{border:1px solid var(--border);padding:.3em .5em;text-align:right}th{background:#eef1f5}" +
        ".scroll{overflow-x:auto}.ok{color:var(--ok)}.bad{color:var(--bad)}.note{color:var(--muted);font-size:.9em}code{font-family:ui-monospace,Menlo,Consolas,monospace}" +
        "label{display:block;margin:.6em 0}select,textarea{display:block;width:100%;box-sizing:border-box;font:inherit;margin-top:.2em;padding:.4em;border:1px solid var(--border);border-radius:6px}" +
        ".buttons{display:flex;gap:1em}button{flex:1;font:inherit;font-size:1.1em;padding:.7em;border:0;border-radius:6px;background:var(--ok);color:#fff;cursor:pointer}" +
        "button.reject{background:var(--bad)}button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}";

    private static string Layout(string title, string body) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
        $"<meta name=\"referrer\" content=\"no-referrer\"><title>{E(title)} · Orchestrator</title><style>{Style}</style></head>" +
        $"<body><header><div>Orchestrator</div></header><main><h1>{E(title)}</h1><section>{body}</section></main></body></html>";

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
