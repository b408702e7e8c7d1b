"""The `orchestrator` command line (also `python -m orchestrator_client`).

Exit codes: 0 ok; 1 other error (server unreachable, 5xx …); 2 usage; 3 not found (404); 4 unauthorized or forbidden
(401, 403); 5 conflict (409); 6 invalid input (400, 413, 415, 422); 7 a wait timed out; 8 a run awaited ended
Failed, Rejected, TimedOut, Cancelled or NotBetter."""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from typing import Any, Sequence

from . import __version__
from ._base import Model
from .client import RUN_UNSUCCESSFUL, Orchestrator, Table
from . import _generated as generated
from .errors import ApiError, OrchestratorError, RunEnded

EXIT_CODES = """exit codes:
  0  ok
  1  other error (server unreachable, 5xx, …)
  2  usage error
  3  not found (404)
  4  unauthorized or forbidden (401, 403)
  5  conflict (409)
  6  invalid input (400, 413, 415, 422)
  7  a wait timed out
  8  the run awaited ended Failed, Rejected, TimedOut, Cancelled or NotBetter"""


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _flatten(row: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in row.items():
        if isinstance(value, dict) and value and prefix == "" and key in ("metrics", "parameters", "progress"):
            out.update(_flatten(value, f"{key}."))
        else:
            out[prefix + key] = value
    return out


def table(rows: list[dict], columns: Sequence[str] | None = None) -> str:
    rows = [_flatten(r) for r in rows]
    if not rows:
        return "(none)"
    if not columns:
        columns = []
        for r in rows:
            columns.extend(k for k, v in r.items() if k not in columns and not isinstance(v, (dict, list)))
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [min(60, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    for row in cells:
        lines.append("  ".join(v[:w].ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def record(obj: dict) -> str:
    width = max((len(k) for k in obj), default=0)
    return "\n".join(f"{k.ljust(width)}  {_cell(v)}" for k, v in obj.items())


class Output:
    def __init__(self, mode: str, stream=None):
        self.mode = mode
        self.stream = stream or sys.stdout

    def show(self, value: Any, rows: list | None = None, columns: Sequence[str] | None = None) -> None:
        """`value` as JSON, or in table mode `rows` as a table (else `value` as key/value lines)."""
        if self.mode == "json":
            json.dump(_plain(value), self.stream, indent=2, default=str)
            self.stream.write("\n")
            return
        if rows is not None:
            text = table([_plain(r) for r in rows], columns)
        elif isinstance(value, (dict, Model)):
            text = record(_plain(value))
        elif isinstance(value, list):
            text = table([_plain(r) for r in value], columns)
        else:
            text = "" if value is None else str(value)
        if text:
            self.stream.write(text + "\n")


def _read_json(path: str) -> Any:
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _number(text: str) -> Any:
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    low = text.lower()
    return {"true": True, "false": False}.get(low, text)


def read_csv_rows(path: str, *, raw: bool = False) -> list[dict]:
    """Rows of a CSV file with a header; numbers and booleans become JSON numbers and booleans, empty cells null."""
    handle = sys.stdin if path == "-" else open(path, newline="", encoding="utf-8-sig")
    try:
        return [{k: (v if raw else _number(v)) for k, v in row.items()} for row in csv.DictReader(handle)]
    finally:
        if handle is not sys.stdin:
            handle.close()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection and output")
    group.add_argument("--base-url", default=argparse.SUPPRESS,
                       help="the API's address (default: $ORCHESTRATOR_URL, else http://127.0.0.1:7071)")
    group.add_argument("--token", default=argparse.SUPPRESS, help="bearer token (default: $ORCHESTRATOR_TOKEN)")
    group.add_argument("--output", "-o", choices=("table", "json"), default=argparse.SUPPRESS,
                       help="table (default) or json (the API's answer)")
    group.add_argument("--timeout", type=float, default=argparse.SUPPRESS, help="seconds per request (default 60)")
    group.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS, help="no progress output")

    parser = argparse.ArgumentParser(
        prog="orchestrator", parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Command line of the Orchestrator HTTP API v1: data, runs, approvals, models, serving, monitoring.",
        epilog=EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(parent, name, help, **kw):
        return parent.add_parser(name, help=help, description=help, parents=[common], epilog=EXIT_CODES,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, **kw)

    def paging(p):
        p.add_argument("--offset", type=int, help="first item of the page")
        p.add_argument("--limit", type=int, help="items per page (the server's default and maximum apply)")
        p.add_argument("--all", action="store_true", help="every page (JSON output: the items as one list)")

    def group_of(name, help):
        p = command(commands, name, help)
        return p.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = command(commands, "token", "a bearer token of the local development issuer (POST /api/dev/token)")
    p.add_argument("--user", required=True, help="user id, e.g. sam@example.com")
    p.add_argument("--role", action="append", default=[], help="a role (repeatable): DataEngineer, DataScientist, "
                   "MlEngineer, Approver, Reader, Auditor, Admin")
    p.add_argument("--group", action="append", default=[], help="a group (repeatable)")
    p.add_argument("--hours", type=float, help="lifetime")

    command(commands, "me", "who the token says you are: id, roles, grants, permissions")
    command(commands, "health", "is the server up (GET /healthz)")

    g = group_of("projects", "projects")
    command(g, "list", "the projects you may read")
    p = command(g, "get", "a project's definition")
    p.add_argument("project")
    p = command(g, "put", "create or replace a project from a JSON definition")
    p.add_argument("project")
    p.add_argument("--file", "-f", required=True, help="the definition as JSON ('-' for stdin)")

    g = group_of("datasets", "datasets and their versions")
    p = command(g, "upload", "upload a file as a new version (streamed, with progress; waits for the ingestion)")
    p.add_argument("project")
    p.add_argument("dataset")
    p.add_argument("path")
    p.add_argument("--name", help="file name recorded (default: the path's)")
    p.add_argument("--content-type", help="media type (default: from the extension)")
    p.add_argument("--no-wait", action="store_true", help="do not wait for an ingestion still running (202)")
    p.add_argument("--async", dest="respond_async", action="store_true", help="ask for 202 at once (Prefer: respond-async)")
    p = command(g, "get", "a catalog entry and its versions")
    p.add_argument("project")
    p.add_argument("dataset")
    p = command(g, "version", "one version: status, counts, data-quality report")
    p.add_argument("project")
    p.add_argument("dataset")
    p.add_argument("version", type=int)
    p = command(g, "quarantine", "the rejected rows of a version")
    p.add_argument("project")
    p.add_argument("dataset")
    p.add_argument("version", type=int)
    p = command(g, "search", "catalog search across projects")
    p.add_argument("q", nargs="?")
    p.add_argument("--column")
    p.add_argument("--tag")
    p.add_argument("--project")

    g = group_of("runs", "lifecycle runs")
    p = command(g, "start", "start a run on a dataset version")
    p.add_argument("project")
    p.add_argument("--dataset", required=True)
    p.add_argument("--version", type=int, help="dataset version (default: the latest Ready)")
    p.add_argument("--wait", action="store_true", help="wait until it stops Running (or --until); exit 8 if it failed")
    p.add_argument("--until", action="append", help="status to wait for (repeatable), e.g. Completed")
    p.add_argument("--wait-timeout", type=float, help="give up waiting after this many seconds (exit 7)")
    p = command(g, "wait", "wait for a run (exit 8 when it ends Failed, Rejected, TimedOut, Cancelled, NotBetter)")
    p.add_argument("run_id")
    p.add_argument("--until", action="append", help="status to wait for (repeatable)")
    p.add_argument("--wait-timeout", type=float)
    p = command(g, "get", "a run: stage, status, progress, best trial, approval, model version")
    p.add_argument("run_id")
    p = command(g, "list", "a project's runs (a page; --all for every page)")
    p.add_argument("project")
    p.add_argument("--status", help="Running, AwaitingApproval, Completed …")
    p.add_argument("--trigger", help="api, rerun, drift, schedule")
    p.add_argument("--dataset")
    p.add_argument("--order", choices=("oldest", "newest"))
    paging(p)
    p = command(g, "leaderboard", "a run's trials ranked (a page; --all for every page)")
    p.add_argument("run_id")
    p.add_argument("--sort", help="metric[:asc|:desc]")
    paging(p)
    p = command(g, "model-card", "the model card of the run's best candidate")
    p.add_argument("run_id")
    p = command(g, "rerun", "a new attempt of an ended run")
    p.add_argument("run_id")
    p.add_argument("--version", type=int)

    g = group_of("approvals", "SME approvals")
    p = command(g, "list", "approvals, newest first (a page; --all for every page)")
    p.add_argument("--status", help="pending, approved, rejected …")
    p.add_argument("--approver", help="those still waiting for this person")
    p.add_argument("--project")
    p.add_argument("--run", help="a run id")
    paging(p)
    p = command(g, "approve", "approve through an emailed link (its token is the credential)")
    p.add_argument("link")
    p.add_argument("--comment")
    p = command(g, "reject", "reject through an emailed link")
    p.add_argument("link")
    p.add_argument("--reason", default="other", choices=("data", "metric", "fairness", "other"))
    p.add_argument("--comment")
    p = command(g, "resend", "fresh links to approvers who have not decided")
    p.add_argument("approval_id")
    p = command(g, "cancel", "cancel an approval (the run's owner): the run ends Cancelled")
    p.add_argument("approval_id")
    p.add_argument("--comment")

    g = group_of("models", "the model registry and environments")
    p = command(g, "list", "model versions, environments, history")
    p.add_argument("project")
    for name, text in (("promote", "smoke-test a version and switch an environment to it"),
                       ("rollback", "switch an environment back to the version it served before")):
        p = command(g, name, text)
        p.add_argument("project")
        if name == "promote":
            p.add_argument("version", type=int)
        p.add_argument("--environment", "-e", default="production", choices=("staging", "production"))
        p.add_argument("--reason", required=True)

    p = command(commands, "predict", "score rows with the production model")
    p.add_argument("project")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", help="rows as CSV with a header ('-' for stdin)")
    source.add_argument("--json", help="rows as a JSON array or {\"rows\": […]} ('-' for stdin)")

    p = command(commands, "feedback", "ground truth for logged predictions")
    p.add_argument("project")
    p.add_argument("--json", required=True, help="[{\"predictionId\", \"label\"}] ('-' for stdin)")

    g = group_of("monitoring", "drift monitoring")
    p = command(g, "drift", "per-feature drift per window (GET …/monitoring)")
    p.add_argument("project")
    p.add_argument("--from", dest="from_", help="ISO time")
    p.add_argument("--to", help="ISO time")
    p = command(g, "windows", "one line per monitoring window")
    p.add_argument("project")
    p.add_argument("--from", dest="from_")
    p.add_argument("--to")
    p = command(g, "run", "run one monitoring window now")
    p.add_argument("project")
    p.add_argument("--window-start")
    p.add_argument("--window-end")

    p = command(commands, "audit", "the audit log (Admin, Auditor)")
    for flag in ("--target", "--actor", "--action", "--to", "--order"):
        p.add_argument(flag)
    p.add_argument("--from", dest="from_")
    p.add_argument("--limit", type=int)

    p = command(commands, "call", "any operation of docs/openapi.json by its operationId",
                )
    p.add_argument("operation_id", choices=sorted(generated.OPERATIONS), metavar="OPERATION_ID")
    p.add_argument("params", nargs="*", metavar="NAME=VALUE", help="path and query parameters")
    p.add_argument("--body", help="JSON body file ('-' for stdin)")
    return parser


def paged(client: Orchestrator, args, method, *positional, **filters):
    """One page (--offset, --limit) or, with --all, every page's items as one Table."""
    if args.all:
        return client.paginate(method, *positional, limit=args.limit, offset=args.offset, **filters)
    return method(*positional, offset=args.offset, limit=args.limit, **filters)


def rows_of(view) -> list:
    return list(view) if isinstance(view, Table) else view.table()


def _option(args, name, default=None):
    return getattr(args, name, default)


def run(args: argparse.Namespace, out: Output) -> int:
    client = Orchestrator(_option(args, "base_url"), _option(args, "token"), timeout=_option(args, "timeout", 60.0),
                          quiet=_option(args, "quiet", False) or out.mode == "json" and not sys.stderr.isatty())
    c, a = args.command, _option(args, "action")
    if c == "token":
        view = client.dev_token(args.user, args.role, args.group, args.hours)
        out.show(view) if out.mode == "json" else out.stream.write(view.token + "\n")
    elif c == "me":
        out.show(client.me())
    elif c == "health":
        out.show(client.health())
    elif c == "projects":
        if a == "list":
            view = client.projects.list()
            out.show(view, view.table(), ("name", "task", "label", "primaryMetric", "fourEyes"))
        elif a == "get":
            out.show(client.projects.get(args.project))
        else:
            out.show(client.projects.put(args.project, _read_json(args.file)))
    elif c == "datasets":
        if a == "upload":
            view = client.datasets.upload(args.project, args.dataset, args.path, name=args.name,
                                          content_type=args.content_type, wait=not args.no_wait,
                                          respond_async=args.respond_async)
            out.show(view, [view], ("project", "dataset", "version", "status", "rowsIn", "rowsOut",
                                    "rowsQuarantined", "existing"))
        elif a == "get":
            out.show(client.datasets.get(args.project, args.dataset))
        elif a == "version":
            out.show(client.datasets.version(args.project, args.dataset, args.version))
        elif a == "quarantine":
            out.show(client.datasets.quarantine(args.project, args.dataset, args.version))
        else:
            view = client.datasets.search(args.q, column=args.column, tag=args.tag, project=args.project)
            out.show(view, view.table())
    elif c == "runs":
        columns = ("runId", "stage", "status", "progress.trialsCompleted", "progress.trialsTotal", "modelVersion",
                   "error")
        if a in ("start", "wait"):
            if a == "start":
                started = client.runs.start(args.project, args.dataset, args.version)
                run_id = started.run_id
                if not args.wait:
                    out.show(started, [started])
                    return 0
            else:
                run_id = args.run_id
            view = client.runs.wait(run_id, until=args.until, timeout=args.wait_timeout)
            out.show(view, [view], columns)
            if view.status in RUN_UNSUCCESSFUL and view.status not in (args.until or ()):
                raise RunEnded(f"run {run_id} ended {view.status}" + (f": {view.error}" if view.error else ""), view)
        elif a == "get":
            view = client.runs.get(args.run_id)
            out.show(view, [view], columns)
        elif a == "list":
            filters = dict(status=args.status, trigger=args.trigger, dataset=args.dataset, order=args.order)
            view = paged(client, args, client.runs.list, args.project, **filters)
            out.show(view, rows_of(view), ("runId", "dataset", "datasetVersion", "stage", "status", "trigger",
                                           "modelVersion", "createdAt"))
        elif a == "leaderboard":
            view = paged(client, args, client.trials.leaderboard, args.run_id, sort=args.sort)
            rows = rows_of(view)
            metrics = sorted({k for t in rows for k in (t.metrics or {})})
            out.show(view, rows, ["rank", "id", "trainer", "status", *(f"metrics.{k}" for k in metrics)])
        elif a == "model-card":
            out.show(client.runs.model_card(args.run_id))
        else:
            out.show(client.runs.rerun(args.run_id, args.version))
    elif c == "approvals":
        if a == "list":
            view = paged(client, args, client.approvals.list, args.status, approver=args.approver,
                         project=args.project, run=args.run)
            out.show(view, rows_of(view), ("approvalId", "runId", "project", "status", "approvers", "quorum",
                                           "expiresAt"))
        elif a == "approve":
            out.show(client.approvals.approve(args.link, args.comment))
        elif a == "reject":
            out.show(client.approvals.reject(args.link, args.reason, args.comment))
        elif a == "resend":
            out.show(client.approvals.resend(args.approval_id))
        else:
            out.show(client.approvals.cancel(args.approval_id, args.comment))
    elif c == "models":
        if a == "list":
            view = client.models.list(args.project)
            out.show(view, view.table(), ("version", "stage", "trainer", "runId", "datasetVersion", "approvedBy",
                                          "createdAt"))
        elif a == "promote":
            view = client.models.promote(args.project, args.version, args.environment, args.reason)
            out.show(view, [view.change.to_dict()] if view.change else [view.to_dict()])
        else:
            view = client.models.rollback(args.project, args.environment, args.reason)
            out.show(view, [view.change.to_dict()] if view.change else [view.to_dict()])
    elif c == "predict":
        if args.csv:
            rows = read_csv_rows(args.csv)
        else:
            data = _read_json(args.json)
            rows = data["rows"] if isinstance(data, dict) else data
        view = client.predict(args.project, rows)
        out.show(view, [{"modelVersion": view.model_version, **p.to_dict()} for p in view.predictions or []],
                 ("predictionId", "modelVersion", "value", "scores"))
    elif c == "feedback":
        out.show(client.serving.feedback(args.project, _read_json(args.json)))
    elif c == "monitoring":
        if a == "run":
            view = client.monitoring.run(args.project, args.window_start, args.window_end)
            out.show(view, view.table(), ("feature", "type", "method", "score", "threshold", "drifted", "pValue",
                                          "psi", "windowRows"))
        else:
            view = client.monitoring.series(args.project, args.from_, args.to)
            if a == "drift":
                out.show(view, view.table(), ("windowStart", "feature", "method", "score", "threshold", "drifted",
                                              "pValue", "psi"))
            else:
                out.show(view, view.windows or [], ("windowStart", "windowEnd", "modelVersion", "predictions",
                                                    "datasetDrift", "driftedShare", "alert", "alertReason"))
    elif c == "audit":
        view = client.audit.list(args.target, actor=args.actor, action=args.action, from_=args.from_, to=args.to,
                                 limit=args.limit, order=args.order)
        out.show(view, view.table(), ("at", "actor", "role", "action", "target", "outcome", "status"))
    elif c == "call":
        method, template, path_names, query_names, media = generated.OPERATIONS[args.operation_id]
        params = {}
        for item in args.params:
            name, sep, value = item.partition("=")
            if not sep:
                raise UsageError(f"parameters are NAME=VALUE, not {item!r}")
            params[name] = value
        unknown = set(params) - set(path_names) - set(query_names)
        missing = set(path_names) - set(params)
        if unknown or missing:
            raise UsageError(f"{args.operation_id} takes path {list(path_names)} and query {list(query_names)}"
                             + (f"; unknown {sorted(unknown)}" if unknown else "")
                             + (f"; missing {sorted(missing)}" if missing else ""))
        body = _read_json(args.body) if args.body else None
        answer = client._call(args.operation_id, {k: params[k] for k in path_names},
                              query={k: v for k, v in params.items() if k in query_names},
                              json=body, accept="application/json, */*")
        out.show(answer)
    return 0


class UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output(getattr(args, "output", None) or os.environ.get("ORCHESTRATOR_OUTPUT") or "table")
    try:
        return run(args, out)
    except UsageError as error:
        parser.error(str(error))
    except ApiError as error:
        if out.mode == "json":
            json.dump({"status": error.status, "title": error.title, "detail": error.detail, "errors": error.errors,
                       "problem": error.problem, "exitCode": error.exit_code}, sys.stderr, indent=2)
            sys.stderr.write("\n")
        else:
            print(f"orchestrator: {error}", file=sys.stderr)
        return error.exit_code
    except (OrchestratorError, OSError, ValueError) as error:
        print(f"orchestrator: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 1)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
