"""The client: `Orchestrator(base_url, token)` with one method per operation of docs/openapi.json, grouped by resource.
Every such method is marked with `@operation("OperationId")`; a test checks the marks against the document."""
from __future__ import annotations

import io
import json as jsonlib
import mimetypes
import os
import time
import urllib.parse
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable

from . import _generated as m
from ._base import parse, to_frame
from ._http import Response, Transport
from .errors import RunEnded, WaitTimeout
from .progress import Progress

DEFAULT_URL = "http://127.0.0.1:7071"
# Statuses a run ends in; AwaitingApproval is where it waits for people.
RUN_ENDED = ("Completed", "Rejected", "NotBetter", "TimedOut", "Cancelled", "Failed")
RUN_UNSUCCESSFUL = ("Rejected", "NotBetter", "TimedOut", "Cancelled", "Failed")
CONTENT_TYPES = {".csv": "text/csv", ".tsv": "text/csv", ".json": "application/json", ".jsonl": "application/x-ndjson",
                 ".ndjson": "application/x-ndjson", ".parquet": "application/vnd.apache.parquet"}


def operation(operation_id: str):
    """Marks a method as the client's call of `operation_id` (the coverage test reads the mark)."""
    if operation_id not in m.OPERATIONS:
        raise ValueError(f"{operation_id} is not an operation of docs/openapi.json")

    def mark(fn):
        fn.operation_id = operation_id
        return fn
    return mark


class Table(list):
    """A list of rows (dataclasses or dicts) with `to_frame()`: a DataFrame when pandas is installed, else itself."""

    def to_frame(self):
        return to_frame(self)


class _Resource:
    def __init__(self, client: "Orchestrator"):
        self._client = client

    def _call(self, operation_id: str, path: dict | None = None, *, query: dict | None = None, model: str | None = None,
              **kwargs) -> Any:
        return self._client._call(operation_id, path, query=query, model=model, **kwargs)


def _clean(body: dict) -> dict:
    return {k: v for k, v in body.items() if v is not None}


class Projects(_Resource):
    @operation("ListProjects")
    def list(self) -> m.ProjectListView:
        """The projects the caller may read (`.to_frame()`)."""
        return self._call("ListProjects", model="ProjectListView")

    @operation("GetProject")
    def get(self, project: str) -> m.ProjectView:
        return self._call("GetProject", {"project": project}, model="ProjectView")

    @operation("PutProject")
    def put(self, project: str, definition: dict | None = None, **fields) -> m.ProjectView:
        """Creates or replaces a project: `definition` as the API names its fields (`primaryMetric`, `kpis` …), and/or
        the same as keyword arguments (`task="multiclass", label="weather"`)."""
        body = dict(definition or {})
        body.update(fields)
        return self._call("PutProject", {"project": project}, json=body, model="ProjectView")


class Datasets(_Resource):
    @operation("SearchDatasets")
    def search(self, q: str | None = None, *, column: str | None = None, tag: str | None = None,
               project: str | None = None, order: str | None = None, offset: int | None = None,
               limit: int | None = None) -> m.CatalogSearchView:
        """Catalog search across projects (name, description, tags, column names), a page at a time (`limit` 100 by
        default, at most 500; `.count` in all, `.next_offset`); `order="name"|"updated"`. All pages:
        `client.paginate(client.datasets.search, …)`."""
        return self._call("SearchDatasets", query={"q": q, "column": column, "tag": tag, "project": project,
                                                   "order": order, "offset": offset, "limit": limit},
                          model="CatalogSearchView")

    @operation("FindDataset")
    def find(self, dataset: str) -> m.CatalogFindView:
        return self._call("FindDataset", {"dataset": dataset}, model="CatalogFindView")

    @operation("GetDataset")
    def get(self, project: str, dataset: str) -> m.DatasetEntryView:
        return self._call("GetDataset", {"project": project, "dataset": dataset}, model="DatasetEntryView")

    @operation("PatchDataset")
    def patch(self, project: str, dataset: str, changes: dict | None = None, **fields) -> m.DatasetInfo:
        """Sets `owner`, `description`, `tags`, `expectations`, `restrictedTo` (`restricted_to=` works too)."""
        body = dict(changes or {})
        body.update({_camel(k): v for k, v in fields.items()})
        return self._call("PatchDataset", {"project": project, "dataset": dataset}, json=body, model="DatasetInfo")

    @operation("UploadDataset")
    def upload(self, project: str, dataset: str, file: str | os.PathLike | BinaryIO | bytes, *,
               name: str | None = None, content_type: str | None = None, wait: bool = True,
               respond_async: bool = False, quiet: bool | None = None, timeout: float | None = None,
               wait_timeout: float | None = 600) -> m.UploadView:
        """Uploads a file as a new version, streamed from a path or a binary file object (never whole in memory),
        with progress. The server waits for the ingestion (201 Ready, 200 same bytes as an existing version);
        when it answers 202 (still ingesting, or at once with `respond_async=True`) and `wait` is true, the version
        is polled until it is no longer Pending. Returns a `UploadViewDatasetVersionView` (or, not waiting, a
        `UploadViewPendingUploadView`). 422 (the data breaks the checks) raises `UnprocessableEntity` with `errors` by
        column."""
        client = self._client
        quiet = client.quiet if quiet is None else quiet
        opened = None
        if isinstance(file, (bytes, bytearray)):
            stream: BinaryIO = io.BytesIO(file)
        elif isinstance(file, (str, os.PathLike)):
            opened = stream = open(file, "rb")
            name = name or Path(file).name
        else:
            stream = file
            name = name or (Path(file.name).name if isinstance(getattr(file, "name", None), str) else None)
        try:
            length = _length(stream)
            content_type = content_type or _content_type(name)
            start = stream.tell() if _seekable(stream) else None
            rewind = (lambda: stream.seek(start)) if start is not None else None
            headers = {"Prefer": "respond-async"} if respond_async else None
            with Progress(length, f"uploading {name or dataset}", "B", quiet=quiet) as progress:
                def restart():
                    rewind()
                    progress.set(0)
                answer = self._call("UploadDataset", {"project": project, "dataset": dataset}, query={"name": name},
                                    body=stream, content_type=content_type, length=length, headers=headers,
                                    rewind=restart if rewind else None, on_sent=progress.update, timeout=timeout,
                                    model="UploadView")
        finally:
            if opened:
                opened.close()
        if wait and getattr(answer, "status", None) == "Pending" and getattr(answer, "status_url", None):
            answer = client.poll(answer.status_url, lambda v: v.get("status") != "Pending", model="DatasetVersionView",
                                 desc=f"ingesting {dataset} v{answer.version}", quiet=quiet, timeout=wait_timeout)
        return answer

    @operation("IngestFromLanding")
    def ingest(self, project: str, dataset: str, blob: str, *, wait: bool = True, quiet: bool | None = None,
               wait_timeout: float | None = 600) -> m.UploadView:
        """Ingests a file a source system wrote to the `landing` container (`{project}/path/file.csv`)."""
        answer = self._call("IngestFromLanding", {"project": project, "dataset": dataset}, json={"blob": blob},
                            model="UploadView")
        if wait and getattr(answer, "status", None) == "Pending" and getattr(answer, "status_url", None):
            answer = self._client.poll(answer.status_url, lambda v: v.get("status") != "Pending",
                                       model="DatasetVersionView", desc=f"ingesting {dataset}",
                                       quiet=self._client.quiet if quiet is None else quiet, timeout=wait_timeout)
        return answer

    @operation("GetDatasetVersion")
    def version(self, project: str, dataset: str, version: int) -> m.DatasetVersionView:
        """Status, counts, the data-quality report and `usedBy` of one version."""
        return self._call("GetDatasetVersion", {"project": project, "dataset": dataset, "version": version},
                          model="DatasetVersionView")

    @operation("GetDatasetQuarantine")
    def quarantine(self, project: str, dataset: str, version: int) -> Table:
        """The rejected rows (`row`, `line`, `reasons`, `values`) as a Table (`.to_frame()`)."""
        text = self._call("GetDatasetQuarantine", {"project": project, "dataset": dataset, "version": version},
                          accept="application/x-ndjson, application/json")
        return Table(jsonlib.loads(line) for line in str(text or "").splitlines() if line.strip())

    @operation("DiffDatasetVersions")
    def diff(self, project: str, dataset: str, version: int, other: int) -> m.DatasetDiffView:
        """Schema changes and per-column distribution shift from `version` to `other`."""
        return self._call("DiffDatasetVersions", {"project": project, "dataset": dataset, "version": version,
                                                  "other": other}, model="DatasetDiffView")


class Runs(_Resource):
    @operation("StartRun")
    def start(self, project: str, dataset: str, version: int | None = None, *, wait: bool = False,
              until: Any = None, timeout: float | None = None, quiet: bool | None = None) -> m.RunStartedView | m.RunView:
        """Starts a lifecycle run on a dataset version (latest Ready by default). With `wait=True`, waits as
        `wait(run_id, until=…)` does and returns the run."""
        started = self._call("StartRun", {"project": project}, json={"dataset": dataset, "version": version},
                             model="RunStartedView")
        if not wait:
            return started
        return self.wait(started.run_id, until=until, timeout=timeout, quiet=quiet)

    @operation("ListRuns")
    def list(self, project: str, status: str | None = None, *, trigger: str | None = None,
             dataset: str | None = None, order: str | None = None, offset: int | None = None,
             limit: int | None = None) -> m.RunsView:
        """A page of a project's runs (`limit` 100 by default, at most 500; `.total`, `.next_offset`), filtered by
        status, trigger (`api`, `rerun`, `drift`, `schedule`) and dataset; `order="oldest"|"newest"`. All pages:
        `client.paginate(client.runs.list, project, …)`."""
        return self._call("ListRuns", {"project": project},
                          query={"status": status, "trigger": trigger, "dataset": dataset, "order": order,
                                 "offset": offset, "limit": limit}, model="RunsView")

    @operation("GetRun")
    def get(self, run_id: str, *, trials: bool = True) -> m.RunView:
        """Stage, status, progress, leaderboard, best trial, approval, model version, error, attempts;
        `trials=False` leaves the leaderboard out (page it with `trials.leaderboard`)."""
        return self._call("GetRun", {"runId": run_id}, query={"trials": None if trials else "false"}, model="RunView")

    @operation("Rerun")
    def rerun(self, run_id: str, version: int | None = None, *, candidates: list | None = None,
              search_space: dict | None = None) -> m.RerunStartedView:
        """A new attempt of an ended run, optionally on another dataset version, candidates or search space."""
        return self._call("Rerun", {"runId": run_id}, json=_clean({"version": version, "candidates": candidates,
                                                                   "searchSpace": search_space}),
                          model="RerunStartedView")

    @operation("GetModelCard")
    def model_card(self, run_id: str) -> m.ModelCard:
        return self._call("GetModelCard", {"runId": run_id}, model="ModelCard")

    def wait(self, run_id: str | Any, until: str | Iterable[str] | Callable[[m.RunView], bool] | None = None, *,
             timeout: float | None = None, interval: float = 1.0, max_interval: float = 10.0,
             quiet: bool | None = None, raise_on_failure: bool = False) -> m.RunView:
        """Polls the run (`GET /api/runs/{runId}`) with back-off until `until` holds: a status, several statuses, or a
        predicate of the run. By default until it stops Running (it waits for approval, or ended). Shows the stage and
        trials done (tqdm when installed). Raises `WaitTimeout` after `timeout` seconds; with `raise_on_failure`,
        `RunEnded` when the run ends Failed, Rejected, TimedOut, Cancelled or NotBetter instead of what was awaited.
        `run_id` may also be what `start` or `rerun` answered."""
        run_id = getattr(run_id, "run_id", run_id)
        if until is None:
            done = lambda r: r.status != "Running"  # noqa: E731
        elif callable(until):
            done = until
        else:
            wanted = {until} if isinstance(until, str) else set(until)
            done = lambda r: r.status in wanted or r.status in RUN_ENDED  # noqa: E731
        quiet = self._client.quiet if quiet is None else quiet
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = interval
        run = None
        with Progress(None, f"run {run_id}", "trial", quiet=quiet) as progress:
            while True:
                run = self.get(run_id)
                trials = run.progress
                progress.set(trials.trials_completed or 0 if trials else 0, (trials.trials_total or None) if trials else None,
                             f"{run.stage}/{run.status}")
                if done(run):
                    break
                if deadline is not None and time.monotonic() + delay > deadline:
                    raise WaitTimeout(f"run {run_id} is still {run.status} ({run.stage}) after {timeout} s", run)
                self._client.transport.sleep(delay)
                delay = min(max_interval, delay * 1.5)
        if raise_on_failure and run.status in RUN_UNSUCCESSFUL:
            raise RunEnded(f"run {run_id} ended {run.status}: {run.error or ''}".rstrip(": "), run)
        return run


class Trials(_Resource):
    @operation("ListTrials")
    def leaderboard(self, run_id: str, sort: str | None = None, *, offset: int | None = None,
                    limit: int | None = None) -> m.LeaderboardView:
        """A page of the leaderboard (final halving rung first; `limit` 100 by default, at most 1000);
        `sort="metric:asc|desc"`. `.to_frame()`: one row per trial with `metrics.*` and `parameters.*` columns.
        All pages: `client.paginate(client.trials.leaderboard, run_id)`."""
        return self._call("ListTrials", {"runId": run_id}, query={"sort": sort, "offset": offset, "limit": limit},
                          model="LeaderboardView")

    @operation("GetTrial")
    def get(self, trial_id: str, trial: str | None = None) -> m.TrialView:
        """One trial by its id `{runId}.{trialId}` (or `get(run_id, trial_id)`)."""
        return self._call("GetTrial", {"id": f"{trial_id}.{trial}" if trial else trial_id}, model="TrialView")


class Approvals(_Resource):
    @operation("ListApprovals")
    def list(self, status: str | None = None, *, approver: str | None = None, project: str | None = None,
             run: str | None = None, offset: int | None = None, limit: int | None = None) -> m.ApprovalsView:
        """A page of approvals, newest first (`limit` 100 by default, at most 500), by status (`pending` …), project
        and run; with `approver`, those still waiting for that person."""
        return self._call("ListApprovals", query={"status": status, "approver": approver, "project": project,
                                                  "run": run, "offset": offset, "limit": limit},
                          model="ApprovalsView")

    @operation("GetApprovalPage")
    def page(self, approval_id: str, token: str | None = None) -> str:
        """The HTML review page of the emailed link (decides nothing)."""
        return self._call("GetApprovalPage", {"approvalId": approval_id}, query={"token": token}, accept="text/html",
                          auth=False)

    @operation("DecideApproval")
    def decide(self, approval_id: str, token: str, decision: str, *, reason: str | None = None,
               comment: str | None = None) -> m.DecisionView:
        """Records an approver's decision (`approve`/`reject`); the link's token is the credential, no bearer token."""
        return self._call("DecideApproval", {"approvalId": approval_id},
                          json={"token": token, "decision": decision, "reason": reason, "comment": comment},
                          auth=False, model="DecisionView")

    def approve(self, link: str, comment: str | None = None) -> m.DecisionView:
        """Approves through an emailed approval link (`https://…/api/approvals/{id}?token=…`)."""
        approval_id, token = parse_approval_link(link)
        return self.decide(approval_id, token, "approve", comment=comment)

    def reject(self, link: str, reason: str = "other", comment: str | None = None) -> m.DecisionView:
        """Rejects through an emailed link; `reason` is `data`, `metric`, `fairness` or `other`."""
        approval_id, token = parse_approval_link(link)
        return self.decide(approval_id, token, "reject", reason=reason, comment=comment)

    @operation("ResendApproval")
    def resend(self, approval_id: str) -> m.ResendView:
        """Fresh links to approvers who have not decided."""
        return self._call("ResendApproval", {"approvalId": approval_id}, model="ResendView")

    @operation("CancelApproval")
    def cancel(self, approval_id: str, comment: str | None = None) -> m.ApprovalView:
        """Cancels the approval (the run's owner): the run ends Cancelled."""
        return self._call("CancelApproval", {"approvalId": approval_id}, json={"comment": comment},
                          model="ApprovalView")


class Models(_Resource):
    @operation("ListModels")
    def list(self, project: str) -> m.ModelsView:
        """Versions (`.to_frame()`), environments, aliases and the change history."""
        return self._call("ListModels", {"project": project}, model="ModelsView")

    @operation("PromoteModel")
    def promote(self, project: str, version: int, environment: str = "production", reason: str | None = None, *,
                wait: bool = True, timeout: float | None = 300, quiet: bool | None = None) -> m.PromotionView:
        """Smoke test, then the switch. 422 (`UnprocessableEntity`) when the smoke test fails. When the server answers
        202 (still running) and `wait`, polls the registry until the environment serves the version."""
        answer = self._call("PromoteModel", {"project": project, "version": version},
                            json={"environment": environment, "reason": reason}, model="PromotionView")
        if wait and answer.status == "Running":
            self._client.poll(
                f"/api/projects/{_seg(project)}/models",
                lambda v: ((v.get("environments") or {}).get(environment) or {}).get("version") == version,
                model="ModelsView", desc=f"promoting v{version} to {environment}",
                quiet=self._client.quiet if quiet is None else quiet, timeout=timeout)
        return answer

    @operation("RollbackModel")
    def rollback(self, project: str, environment: str = "production", reason: str | None = None) -> m.RollbackView:
        """The environment goes back to the version it served before; none → `Conflict`. Past the server's wait
        (202) the answer has `status="Running"` and `rollback_id`, no `change`: `models.list(project)` shows it once done."""
        return self._call("RollbackModel", {"project": project}, json={"environment": environment, "reason": reason},
                          model="RollbackView")


    @operation("ExportModelOnnx")
    def onnx(self, project: str, version: int, *, check: bool | None = None) -> bytes | m.OnnxExportView:
        """The version as ONNX bytes (save as `{project}-v{version}.onnx`), handed out once ONNX Runtime answers its
        smoke rows as ML.NET did; `check=True` → how it compared, with the file's inputs and outputs. A pipeline step
        without ONNX conversion (text featurization) → `Conflict` naming it."""
        if check:
            return self._call("ExportModelOnnx", {"project": project, "version": version}, query={"check": "true"},
                              model="OnnxExportView")
        return self._client.transport.request("GET", f"/api/projects/{_seg(project)}/models/{_seg(version)}/onnx",
                                      accept="application/octet-stream").body


    @operation("CompareModels")
    def compare(self, project: str, *, from_: str | None = None, to: str | None = None) -> m.ModelComparisonView:
        """Champion (production) against challenger (staging) on the canary traffic both scored
        (`deployment.canaryPercent`): `shadowed`, `agreement` or `mean_absolute_difference`, and with feedback both
        models' metrics on the same rows. `from_`/`to`: ISO 8601 (default the last 7 days)."""
        return self._call("CompareModels", {"project": project}, query={"from": from_, "to": to}, model="ModelComparisonView")

    @operation("BatchScoreModel")
    def batch(self, project: str, version: int, dataset: str, dataset_version: int | None = None, *, rows: str = "all",
              wait: bool = True, timeout: float | None = 1800, quiet: bool | None = None) -> m.BatchView:
        """Scores a whole dataset version (the latest when `dataset_version` is None) with model `version` into
        Parquet under `predictions/batch/{id}/`; `rows="unlabelled"` scores the rows training left out. With `wait`,
        polls the status URL until the batch ends (`client.models.batch_status(id)` otherwise)."""
        started = self._call("BatchScoreModel", {"project": project, "version": version},
                             json={"dataset": dataset, "version": dataset_version, "rows": rows}, model="BatchView")
        if not wait:
            return started
        return self._client.poll(started.status_url or f"/api/batches/{_seg(started.batch_id)}",
                                 lambda b: b.get("status") != "Running", model="BatchView", desc=f"batch {started.batch_id}",
                                 quiet=quiet, timeout=timeout)

    @operation("GetBatch")
    def batch_status(self, batch_id: str) -> m.BatchView:
        """A batch scoring: status, parts done of total, rows read and scored, where the output is, its manifest."""
        return self._call("GetBatch", {"id": batch_id}, model="BatchView")


class Serving(_Resource):
    @operation("Predict")
    def predict(self, project: str, rows: Iterable[dict] | Any) -> m.PredictionsView:
        """Scores rows with the production model: `rows` as a list of dicts or a pandas DataFrame."""
        return self._call("Predict", {"project": project}, json={"rows": _rows(rows)}, model="PredictionsView")

    @operation("Feedback")
    def feedback(self, project: str, items: Iterable[dict] | Any) -> m.FeedbackView:
        """Ground truth for logged predictions: `[{"predictionId", "label"}]` (or a DataFrame of those columns)."""
        return self._call("Feedback", {"project": project}, json=_rows(items), model="FeedbackView")


class Monitoring(_Resource):
    @operation("GetMonitoring")
    def series(self, project: str, from_: Any = None, to: Any = None) -> m.MonitoringView:
        """Monitoring windows from `from_` to `to` (datetimes or ISO strings): `.to_frame()` has one row per window and
        feature (score, drifted, method …); `.windows_frame()` one per window; `.prediction`, `.performance`,
        `.alerts`."""
        return self._call("GetMonitoring", {"project": project}, query={"from": from_, "to": to},
                          model="MonitoringView")

    drift = series

    @operation("PutMonitoringSettings")
    def settings(self, project: str, settings: dict | None = None, **fields) -> m.MonitoringSettingsView:
        """Replaces the project's `monitoring` block (`enabled`, `window`, `interval`, `retrainOnDrift` …)."""
        body = dict(settings or {})
        body.update({_camel(k): v for k, v in fields.items()})
        return self._call("PutMonitoringSettings", {"project": project}, json=body, model="MonitoringSettingsView")

    @operation("RunMonitoring")
    def run(self, project: str, window_start: Any = None, window_end: Any = None) -> m.MonitoringReport:
        """One monitoring window now (`.to_frame()`: its per-feature drift); nothing in production → `Conflict`."""
        return self._call("RunMonitoring", {"project": project},
                          json={"windowStart": _iso(window_start), "windowEnd": _iso(window_end)},
                          model="MonitoringReport")


class Access(_Resource):
    @operation("ListGrants")
    def list(self, principal: str | None = None, *, project: str | None = None) -> m.GrantsView:
        return self._call("ListGrants", query={"principal": principal, "project": project}, model="GrantsView")

    @operation("AddGrant")
    def add(self, principal: str, role: str, project: str = "*", environment: str | None = None) -> m.GrantAddedView:
        """Grants `role` in `project` (or `*`) and `environment` to a user, `group:{name}` or `app:{id}` (Admin)."""
        return self._call("AddGrant", json={"principal": principal, "role": role, "project": project,
                                            "environment": environment}, model="GrantAddedView")

    @operation("RevokeGrant")
    def revoke(self, principal: str | None = None, *, role: str | None = None, project: str | None = None,
               environment: str | None = None) -> None:
        self._call("RevokeGrant", query={"principal": principal, "role": role, "project": project,
                                         "environment": environment})


class Webhooks(_Resource):
    @operation("CreateWebhook")
    def create(self, project: str, url: str, events: list[str] | None = None, *, secret: str | None = None,
               description: str | None = None) -> m.WebhookCreatedView:
        """Subscribes `url` to the project's events; the answer's `secret` is shown once."""
        return self._call("CreateWebhook", json={"project": project, "url": url, "events": events, "secret": secret,
                                                 "description": description}, model="WebhookCreatedView")

    @operation("ListWebhooks")
    def list(self, project: str | None = None, *, all: bool | None = None) -> m.WebhooksView:
        return self._call("ListWebhooks", query={"project": project, "all": all}, model="WebhooksView")

    @operation("GetWebhook")
    def get(self, webhook_id: str) -> m.WebhookView:
        return self._call("GetWebhook", {"id": webhook_id}, model="WebhookView")

    @operation("DeleteWebhook")
    def delete(self, webhook_id: str) -> None:
        self._call("DeleteWebhook", {"id": webhook_id})

    @operation("ListWebhookDeliveries")
    def deliveries(self, webhook_id: str, status: str | None = None) -> m.WebhookDeliveriesView:
        return self._call("ListWebhookDeliveries", {"id": webhook_id}, query={"status": status},
                          model="WebhookDeliveriesView")


class Lineage(_Resource):
    @operation("GetLineage")
    def get(self, kind: str, node_id: str, *, direction: str | None = None, depth: int | None = None,
            format: str | None = None) -> m.LineageView | str:
        """The lineage graph around a node (`kind` such as `dataset`, `run`, `model`); `format="mermaid"` → text."""
        return self._call("GetLineage", {"kind": kind, "id": node_id},
                          query={"direction": direction, "depth": depth, "format": format},
                          accept="text/plain" if format == "mermaid" else "application/json", model="LineageView")


class Audit(_Resource):
    @operation("GetAudit")
    def list(self, target: str | None = None, *, actor: str | None = None, action: str | None = None,
             from_: Any = None, to: Any = None, limit: int | None = None, order: str | None = None) -> m.AuditView:
        """The audit log (Admin, Auditor), newest first (`order="asc"` oldest first); `.to_frame()`."""
        return self._call("GetAudit", query={"target": target, "actor": actor, "action": action, "from": from_,
                                             "to": to, "limit": limit, "order": order}, model="AuditView")


class Orchestrator:
    """A client of the Orchestrator HTTP API v1.

    `base_url` defaults to `ORCHESTRATOR_URL` (else http://127.0.0.1:7071) and `token` to `ORCHESTRATOR_TOKEN`.
    `timeout` is per request (seconds); 429 and 503 are retried `retries` times with back-off, honouring Retry-After.
    `quiet=True` turns progress output off for every call (each call also takes `quiet=`); `ssl_context` is used for
    https (default: the system's trust store)."""

    def __init__(self, base_url: str | None = None, token: str | None = None, *, timeout: float = 60.0,
                 retries: int = 4, backoff: float = 0.5, quiet: bool = False, ssl_context=None):
        base_url = base_url or os.environ.get("ORCHESTRATOR_URL") or DEFAULT_URL
        token = token if token is not None else os.environ.get("ORCHESTRATOR_TOKEN") or None
        self.transport = Transport(base_url, token, timeout=timeout, retries=retries, backoff=backoff,
                                   ssl_context=ssl_context)
        self.quiet = quiet
        self.projects = Projects(self)
        self.datasets = Datasets(self)
        self.runs = Runs(self)
        self.trials = Trials(self)
        self.approvals = Approvals(self)
        self.models = Models(self)
        self.serving = Serving(self)
        self.monitoring = Monitoring(self)
        self.access = Access(self)
        self.webhooks = Webhooks(self)
        self.lineage = Lineage(self)
        self.audit = Audit(self)

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    @property
    def token(self) -> str | None:
        return self.transport.token

    @token.setter
    def token(self, value: str | None) -> None:
        self.transport.token = value

    def __repr__(self) -> str:
        return f"Orchestrator({self.base_url!r})"

    def with_token(self, token: str) -> "Orchestrator":
        """Another client of the same server acting as whoever `token` names."""
        return Orchestrator(self.base_url, token, timeout=self.transport.timeout, retries=self.transport.retries,
                            backoff=self.transport.backoff, quiet=self.quiet, ssl_context=self.transport.ssl_context)

    # Operations outside a resource group.
    @operation("Health")
    def health(self) -> m.HealthView:
        """Liveness: the server process answers."""
        return self._call("Health", auth=False, model="HealthView")

    @operation("Ready")
    def ready(self) -> m.ReadinessView:
        """Readiness: its storage answers (`.checks`); storage down → `ServiceUnavailable` naming the check."""
        return self._call("Ready", auth=False, model="ReadinessView")

    @operation("WhoAmI")
    def me(self) -> m.MeView:
        """The caller: id, roles, groups, grants, permissions."""
        return self._call("WhoAmI", model="MeView")

    @operation("MintDevelopmentToken")
    def dev_token(self, user: str, roles: Iterable[str] = (), groups: Iterable[str] = (),
                  hours: float | None = None) -> m.DevelopmentTokenView:
        """A token of the local development issuer (404 → `NotFound` where it is not enabled, always on Azure)."""
        return self._call("MintDevelopmentToken", json={"user": user, "roles": list(roles), "groups": list(groups),
                                                        "hours": hours}, auth=False, model="DevelopmentTokenView")

    def sign_in_dev(self, user: str, roles: Iterable[str] = (), groups: Iterable[str] = ()) -> "Orchestrator":
        """A client signed in as `user` with `roles` through the development issuer."""
        return self.with_token(self.dev_token(user, roles, groups).token)

    def paginate(self, method: Callable, *args, limit: int | None = None, **kwargs) -> Table:
        """Every item of a paged list (`runs.list`, `trials.leaderboard`, `approvals.list`, `datasets.search`): calls `method` with
        `offset` from each page's `nextOffset` until there is none; answers them as one Table (`.to_frame()`)."""
        items = Table()
        offset = kwargs.pop("offset", None)
        while True:
            page = method(*args, offset=offset, limit=limit, **kwargs)
            items.extend(page.table())
            following = getattr(page, "next_offset", None)
            if following is None or (offset is not None and following <= offset):
                return items
            offset = following

    def predict(self, project: str, rows) -> m.PredictionsView:
        """Shortcut of `serving.predict`."""
        return self.serving.predict(project, rows)

    # The machinery.
    def _call(self, operation_id: str, path: dict | None = None, *, query: dict | None = None,
              model: str | None = None, **kwargs) -> Any:
        method, template, path_names, query_names, _ = m.OPERATIONS[operation_id]
        path = path or {}
        if set(path) != set(path_names):
            raise TypeError(f"{operation_id} takes path parameters {path_names}, not {tuple(path)}")
        unknown = set(query or {}) - set(query_names)
        if unknown:
            raise TypeError(f"{operation_id} has no query parameter {sorted(unknown)} in docs/openapi.json")
        url = template
        for name in path_names:
            url = url.replace("{" + name + "}", _seg(path[name]))
        response = self.transport.request(method, url, query=query, **kwargs)
        return self._result(response, model)

    def _result(self, response: Response, model: str | None) -> Any:
        if response.status == 204 or not response.body:
            return None
        data = response.data()
        if model and isinstance(data, dict):
            return parse(model, data)
        return data

    def request(self, method: str, path: str, **kwargs) -> Any:
        """Any call by method and path (JSON answers as dicts), for what the typed methods do not cover."""
        return self._result(self.transport.request(method, path, **kwargs), None)

    def poll(self, url: str, done: Callable[[dict], bool], *, model: str | None = None, desc: str = "waiting",
             quiet: bool | None = None, timeout: float | None = None, interval: float = 0.5,
             max_interval: float = 10.0) -> Any:
        """GETs a status URL with back-off until `done(json)` holds; answers the last state as `model`."""
        quiet = self.quiet if quiet is None else quiet
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = interval
        with Progress(None, desc, quiet=quiet) as progress:
            while True:
                data = self.transport.request("GET", url).data()
                progress.set(progress.n, text=str(data.get("status", "")) if isinstance(data, dict) else "")
                if done(data):
                    return parse(model, data) if model else data
                if deadline is not None and time.monotonic() + delay > deadline:
                    raise WaitTimeout(f"{url} did not reach the state awaited within {timeout} s", data)
                self.transport.sleep(delay)
                delay = min(max_interval, delay * 1.5)


def operations(client_or_class: Any = Orchestrator) -> dict[str, str]:
    """operationId → the method that calls it (`"runs.get"`), read from the `@operation` marks."""
    found: dict[str, str] = {}
    groups = {"": Orchestrator}
    for name, cls in (("projects", Projects), ("datasets", Datasets), ("runs", Runs), ("trials", Trials),
                      ("approvals", Approvals), ("models", Models), ("serving", Serving),
                      ("monitoring", Monitoring), ("access", Access), ("webhooks", Webhooks), ("lineage", Lineage),
                      ("audit", Audit)):
        groups[name] = cls
    for group, cls in groups.items():
        for attr in dir(cls):
            fn = getattr(cls, attr)
            op = getattr(fn, "operation_id", None)
            if op and not (attr == "drift"):
                found.setdefault(op, f"{group}.{attr}" if group else attr)
    return found


def parse_approval_link(link: str) -> tuple[str, str]:
    """(approval id, token) of an emailed approval link."""
    parts = urllib.parse.urlsplit(link)
    segments = [s for s in parts.path.split("/") if s]
    token = urllib.parse.parse_qs(parts.query).get("token", [None])[0]
    if len(segments) < 3 or segments[-2] != "approvals" or not token:
        raise ValueError(f"not an approval link: {link}")
    return urllib.parse.unquote(segments[-1]), token


def _seg(value: Any) -> str:
    return urllib.parse.quote(str(value), safe="")


def _camel(name: str) -> str:
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rows(rows: Any) -> list:
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # a pandas DataFrame
        records = rows.astype(object).where(rows.notna(), None).to_dict(orient="records")
        return [{k: _iso(v) for k, v in r.items()} for r in records]
    return [r.to_dict() if hasattr(r, "to_dict") and not isinstance(r, dict) else r for r in rows]


def _seekable(stream: Any) -> bool:
    try:
        return bool(stream.seekable()) if hasattr(stream, "seekable") else False
    except (OSError, ValueError):
        return False


def _length(stream: Any) -> int | None:
    """Bytes left in the stream when that can be known without reading it (else the upload goes chunked)."""
    try:
        if hasattr(stream, "fileno"):
            size = os.fstat(stream.fileno()).st_size
            return size - stream.tell() if _seekable(stream) else None
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
    if _seekable(stream):
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
        return end - here
    return None


def _content_type(name: str | None) -> str:
    if not name:
        return "application/octet-stream"
    suffix = Path(name).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
