"""The whole lifecycle through the client against the real server, in order, as infra/local/demo.mjs runs it: upload,
project, run, wait, leaderboard, approval through the emailed link, registry, promotion, prediction, feedback,
monitoring, audit. Each step uses what the one before left in `state`."""
from __future__ import annotations

import pytest

from conftest import weather_project

from orchestrator_client import BadRequest, Conflict, NotFound, Orchestrator, Table
from orchestrator_client import models as m

PROJECT = "seattle-weather"
ROWS = [{"date": "2015-07-01", "precipitation": 0, "temp_max": 27.2, "temp_min": 14.4, "wind": 2.9},
        {"date": "2015-11-17", "precipitation": 20.3, "temp_max": 11.1, "temp_min": 6.1, "wind": 6.6}]
state: dict = {}
called: set = set()


@pytest.fixture(scope="module", autouse=True)
def record_operations():
    """Records every operationId this module's calls reach (the last test checks that none was left out)."""
    original = Orchestrator._call

    def recording(self, operation_id, *args, **kwargs):
        called.add(operation_id)
        return original(self, operation_id, *args, **kwargs)
    Orchestrator._call = recording
    yield
    Orchestrator._call = original


def test_define_the_project(people):
    view = people["scientist"].projects.put(PROJECT, weather_project())
    assert isinstance(view, m.ProjectView)
    assert (view.name, view.task, view.label, view.primary_metric) == (PROJECT, "multiclass", "weather", "microAccuracy")
    assert PROJECT in [p.name for p in people["reader"].projects.list().projects]


def test_upload_seattle_weather(people, weather_csv):
    version = people["engineer"].datasets.upload(PROJECT, "weather", weather_csv)
    assert isinstance(version, m.UploadViewDatasetVersionView)
    assert version.status == "Ready" and version.rows_in == 1461 and version.rows_out == 1461
    assert version.ingested_by == "dana@example.com" and version.file_name == "seattle-weather.csv"
    state["version"] = version.version
    again = people["engineer"].datasets.upload(PROJECT, "weather", weather_csv)
    assert again.existing is True and again.version == version.version
    detail = people["reader"].datasets.version(PROJECT, "weather", version.version)
    assert detail.report.rows_in == 1461 and {p.name for p in detail.report.profiles} >= {"temp_max", "weather"}


def test_start_a_run_and_wait_for_the_approval(people):
    started = people["scientist"].runs.start(PROJECT, "weather", state["version"])
    assert isinstance(started, m.RunStartedView) and started.dataset_version == state["version"]
    run = people["scientist"].runs.wait(started.run_id, until="AwaitingApproval", timeout=180)
    assert run.status == "AwaitingApproval", run.error
    assert run.progress.trials_completed == run.progress.trials_total == 2
    assert run.requested_by == "sam@example.com"
    state["run_id"] = started.run_id


def test_the_leaderboard_as_a_dataframe(people):
    pandas = pytest.importorskip("pandas")
    board = people["reader"].trials.leaderboard(state["run_id"])
    frame = board.to_frame()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 2
    assert list(frame["rank"]) == [1, 2]
    assert set(frame["trainer"]) == {"LightGbm", "SdcaMaximumEntropy"}
    accuracy = frame["metrics.microAccuracy"]
    assert accuracy.iloc[0] >= accuracy.iloc[1] > 0.5
    ascending = people["reader"].trials.leaderboard(state["run_id"], sort="microAccuracy:asc")
    assert [t.id for t in ascending.trials] == list(reversed(list(frame["id"])))
    trial = people["reader"].trials.get(frame.loc[0, "id"])
    assert isinstance(trial, m.TrialView) and trial.confusion_matrix is not None
    card = people["reader"].runs.model_card(state["run_id"])
    assert card.label == "weather" and card.trainer == frame.loc[0, "trainer"]


def test_lists_come_a_page_at_a_time(people):
    reader = people["reader"]
    page = reader.trials.leaderboard(state["run_id"], limit=1)
    assert len(page.trials) == 1 and page.total == 2 and page.next_offset == 1 and page.limit == 1
    everything = reader.paginate(reader.trials.leaderboard, state["run_id"], limit=1)
    assert isinstance(everything, Table) and [t.rank for t in everything] == [1, 2]
    assert len(everything.to_frame()) == 2
    runs = reader.runs.list(PROJECT, status="AwaitingApproval", dataset="weather", order="newest")
    assert [r.run_id for r in runs.runs] == [state["run_id"]] and runs.total == 1 and runs.next_offset is None
    assert reader.runs.list(PROJECT, status="Completed").total == 0
    approvals = reader.approvals.list(project=PROJECT, run=state["run_id"])
    assert [a.run_id for a in approvals.approvals] == [state["run_id"]]


def test_the_approval_waits_for_the_sme(people):
    pending = people["reader"].approvals.list("pending", approver="sme@example.com")
    mine = [a for a in pending.approvals if a.run_id == state["run_id"]]
    assert len(mine) == 1 and mine[0].approvers == ["sme@example.com"]
    state["approval_id"] = mine[0].approval_id


def test_approve_through_the_emailed_link(stack, people):
    link = stack.approval_link(state["run_id"])
    assert state["approval_id"] in link
    page = people["reader"].approvals.page(*_link_parts(link))
    assert "<html" in page.lower() and "Approve" in page
    anonymous = Orchestrator(stack.base_url, token="", quiet=True)  # the link's token is the credential
    decision = anonymous.approvals.approve(link, comment="approved by the Python client's tests")
    assert isinstance(decision, m.DecisionView) and decision.status == "Approved"
    with pytest.raises(Conflict) as replay:
        anonymous.approvals.approve(link)
    assert replay.value.status == 409
    run = people["scientist"].runs.wait(state["run_id"], until="Completed", timeout=120)
    assert run.status == "Completed", run.error
    assert run.model_version is not None
    state["model_version"] = run.model_version


def _link_parts(link):
    from orchestrator_client import parse_approval_link
    return parse_approval_link(link)


def test_the_registry_promotion_and_rollback(people):
    models = people["mlops"].models.list(PROJECT)
    assert models.production == state["model_version"]
    frame = models.to_frame()
    assert state["model_version"] in list(frame["version"] if hasattr(frame, "columns") else [v.version for v in frame])
    promoted = people["mlops"].models.promote(PROJECT, state["model_version"], "staging", reason="staging check")
    assert promoted.change.to_version == state["model_version"] and promoted.change.by == "mia@example.com"
    assert promoted.smoke_test.passed is True
    assert people["mlops"].models.list(PROJECT).environments["staging"].version == state["model_version"]
    with pytest.raises(Conflict) as nothing_before:
        people["mlops"].models.rollback(PROJECT, "production", reason="nothing to go back to")
    assert nothing_before.value.status == 409 and nothing_before.value.title


def test_the_production_model_as_onnx(people):
    checked = people["reader"].models.onnx(PROJECT, state["model_version"], check=True)
    assert checked.check.passed is True and checked.check.rows > 0 and checked.file_name.endswith(".onnx")
    onnx = people["reader"].models.onnx(PROJECT, state["model_version"])
    assert isinstance(onnx, bytes) and len(onnx) == checked.check.bytes


def test_batch_scoring_of_the_dataset(people):
    batch = people["mlops"].models.batch(PROJECT, state["model_version"], "weather")
    assert batch.status == "Completed", batch
    assert batch.rows_read > 0 and batch.rows_scored == batch.rows_read and batch.parts_done == batch.parts_total
    assert people["reader"].models.batch_status(batch.batch_id).status == "Completed"


def test_predict_and_feedback(people):
    answer = people["mlops"].predict(PROJECT, ROWS)
    assert isinstance(answer, m.PredictionsView) and answer.model_version == state["model_version"]
    assert len(answer.predictions) == 2
    classes = {"sun", "rain", "fog", "drizzle", "snow"}
    assert all(p.value in classes and abs(sum(p.scores.values()) - 1) < 0.01 for p in answer.predictions)
    stored = people["mlops"].serving.feedback(PROJECT, [{"predictionId": p.prediction_id, "label": "sun"}
                                                        for p in answer.predictions])
    assert stored.stored == 2
    state["predictions"] = answer
    # No canary share is set: the challenger shadowed nothing.
    assert people["reader"].models.compare(PROJECT).shadowed == 0


def test_a_predict_row_missing_a_feature_is_a_bad_request_naming_it(people):
    row = {k: v for k, v in ROWS[0].items() if k != "temp_max"}
    with pytest.raises(BadRequest) as caught:
        people["mlops"].predict(PROJECT, [ROWS[1], row])
    assert caught.value.status == 400
    assert any(key.startswith("rows[1]") for key in caught.value.errors), caught.value.errors


def test_a_dataframe_of_rows_can_be_predicted(people):
    pandas = pytest.importorskip("pandas")
    answer = people["reader"].serving.predict(PROJECT, pandas.DataFrame(ROWS))
    assert [p.value for p in answer.predictions] == [p.value for p in state["predictions"].predictions]


def test_monitoring_drift(people):
    report = people["mlops"].monitoring.run(PROJECT)
    assert isinstance(report, m.MonitoringReport) and report.predictions >= 2
    features = {f.feature for f in report.drift.features}
    assert {"temp_max", "temp_min", "precipitation", "wind"} <= features
    series = people["reader"].monitoring.series(PROJECT)
    assert set(series.series) >= {"temp_max", "wind"} and len(series.windows) >= 1
    frame = series.to_frame()
    rows = frame.to_dict("records") if hasattr(frame, "to_dict") else frame
    temp = [r for r in rows if r["feature"] == "temp_max"]
    assert temp and temp[-1]["score"] is not None and temp[-1]["windowStart"] is not None


def test_the_audit_log_as_a_frame(people):
    log = people["admin"].audit.list(action="model.promote")
    rows = log.to_frame()
    records = rows.to_dict("records") if hasattr(rows, "to_dict") else [r.to_dict() for r in rows]
    assert any(r["actor"] == "mia@example.com" and r["outcome"] == "succeeded" for r in records)
    runs = people["admin"].audit.list(actor="sam@example.com", limit=50)
    assert "run.start" in {e.action for e in runs.entries}


def test_quarantine_is_a_table(people):
    rows = people["engineer"].datasets.quarantine(PROJECT, "weather", state["version"])
    assert isinstance(rows, Table) and rows == []


def test_health_me_and_development_tokens(stack, people):
    assert Orchestrator(stack.base_url, token="", quiet=True).health().status == "healthy"
    ready = Orchestrator(stack.base_url, token="", quiet=True).ready()
    assert ready.status == "Healthy" and [c.name for c in ready.checks] == ["storage"]
    minted = people["reader"].dev_token("newcomer@example.com", ["Reader"], ["py-testers"])
    assert minted.user == "newcomer@example.com" and minted.roles == ["Reader"]
    me = people["reader"].with_token(minted.token).me()
    assert me.id == "newcomer@example.com" and me.groups == ["py-testers"] and me.is_service is False


def test_the_catalog(people):
    engineer = people["engineer"]
    info = engineer.datasets.patch(PROJECT, "weather", description="Seattle daily weather 2012-2015",
                                   tags=["weather", "python-client"])
    assert info.description.startswith("Seattle") and "python-client" in info.tags
    found = people["reader"].datasets.search(tag="python-client")
    assert [(d.project, d.dataset) for d in found.datasets] == [(PROJECT, "weather")]
    assert (found.count, found.next_offset) == (1, None)
    assert len(people["reader"].paginate(people["reader"].datasets.search, tag="python-client", limit=1)) == 1
    assert any(d.project == PROJECT for d in people["reader"].datasets.find("weather").datasets)
    entry = people["reader"].datasets.get(PROJECT, "weather")
    assert entry.versions and entry.description.startswith("Seattle")
    assert people["reader"].projects.get(PROJECT).label == "weather"
    with pytest.raises(NotFound):
        engineer.datasets.ingest(PROJECT, "weather", f"{PROJECT}/handover/missing.csv")


def test_a_second_version_and_the_diff(people, weather_csv):
    summer = [line for line in weather_csv.read_text().splitlines(keepends=True)[1:] if "-07-" in line[:8]]
    header = weather_csv.read_text().splitlines(keepends=True)[0]
    second = people["engineer"].datasets.upload(PROJECT, "weather", (header + "".join(summer)).encode(),
                                                name="summer.csv")
    assert second.version == state["version"] + 1 and second.rows_in == len(summer)
    diff = people["reader"].datasets.diff(PROJECT, "weather", state["version"], second.version)
    shifted = {s.column: s for s in diff.shifts}
    assert shifted["temp_max"].shifted is True


def test_monitoring_settings(people):
    view = people["mlops"].monitoring.settings(PROJECT, enabled=True, window="1.00:00:00", retrain_on_drift=False)
    assert view.monitoring.enabled is True and view.monitoring.retrain_on_drift is False


def test_lineage_of_the_production_model(people):
    graph = people["reader"].lineage.get("model-version", f"{PROJECT}/{state['model_version']}", direction="up")
    kinds = {n.kind for n in graph.nodes}
    assert {"model-version", "trial", "run", "dataset-version"} <= kinds
    mermaid = people["reader"].lineage.get("model-version", f"{PROJECT}/{state['model_version']}", direction="up",
                                           format="mermaid")
    assert isinstance(mermaid, str) and mermaid.startswith("flowchart")


def test_grants(people):
    admin = people["admin"]
    added = admin.access.add("group:py-testers", "Reader", PROJECT)
    assert added.grant.principal == "group:py-testers" and added.existing is False
    assert "group:py-testers" in [g.principal for g in admin.access.list("group:py-testers").grants]
    assert admin.access.revoke("group:py-testers", role="Reader", project=PROJECT) is None
    with pytest.raises(NotFound):
        admin.access.revoke("group:py-testers", role="Reader", project=PROJECT)


def test_webhooks(people):
    mlops = people["mlops"]
    created = mlops.webhooks.create(PROJECT, "https://hooks.example.com/orchestrator", ["model.promoted"],
                                    description="python client test")
    assert created.secret and created.events == ["model.promoted"]
    assert created.id in [w.id for w in mlops.webhooks.list(PROJECT).webhooks]
    assert mlops.webhooks.get(created.id).url == "https://hooks.example.com/orchestrator"
    assert mlops.webhooks.deliveries(created.id).deliveries == []
    assert mlops.webhooks.delete(created.id) is None
    assert created.id not in [w.id for w in mlops.webhooks.list(PROJECT).webhooks]
    assert created.id in [w.id for w in mlops.webhooks.list(PROJECT, all=True).webhooks]


def test_rerun_resend_and_cancel(people):
    scientist = people["scientist"]
    again = scientist.runs.rerun(state["run_id"])
    assert again.previous_run_id == state["run_id"] and again.attempt == 2
    run = scientist.runs.wait(again.run_id, until="AwaitingApproval", timeout=180)
    assert run.status == "AwaitingApproval", run.error
    approval = run.approval.approval_id
    resent = scientist.approvals.resend(approval)
    assert resent.approval.approval_id == approval
    cancelled = scientist.approvals.cancel(approval, comment="not needed")
    assert cancelled.status == "Cancelled"
    run = scientist.runs.wait(again.run_id, until="Cancelled", timeout=60)
    assert run.status == "Cancelled"


def test_every_operation_was_called_against_the_server():
    from orchestrator_client._generated import OPERATIONS
    assert set(OPERATIONS) - called == set()
