"""The whole lifecycle through the client against the real server, in order, as infra/local/demo.mjs runs it: upload,
project, run, wait, leaderboard, approval through the emailed link, registry, promotion, prediction, feedback,
monitoring, audit. Each step uses what the one before left in `state`."""
from __future__ import annotations

import pytest

from conftest import weather_project

from orchestrator_client import BadRequest, Conflict, Table
from orchestrator_client import models as m

PROJECT = "seattle-weather"
ROWS = [{"date": "2015-07-01", "precipitation": 0, "temp_max": 27.2, "temp_min": 14.4, "wind": 2.9},
        {"date": "2015-11-17", "precipitation": 20.3, "temp_max": 11.1, "temp_min": 6.1, "wind": 6.6}]
state: dict = {}


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
    from orchestrator_client import Orchestrator
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
