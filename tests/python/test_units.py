"""The client's own pieces that need no server: Retry-After, progress lines, frames without pandas, links."""
from __future__ import annotations

import email.utils
import io
import time

import pytest

from orchestrator_client import _base, parse_approval_link
from orchestrator_client._generated import LeaderboardView, UploadViewDatasetVersionView, UploadViewPendingUploadView
from orchestrator_client._base import parse
from orchestrator_client._http import retry_after
from orchestrator_client.client import _length
from orchestrator_client.errors import BadRequest, Conflict, ServerError, error_for
from orchestrator_client.progress import Progress


def test_retry_after_in_seconds_and_as_a_date():
    assert retry_after("3") == 3.0
    assert retry_after(None) is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after(later) <= 31
    assert retry_after("soon") is None


def test_the_retry_delay_follows_retry_after_else_backs_off():
    from orchestrator_client._http import Transport
    transport = Transport("http://127.0.0.1:1", None, backoff=0.5, max_backoff=30)
    assert transport._delay(0, {"retry-after": "2"}) == 2
    assert transport._delay(5, {"retry-after": "0"}) == 0
    assert 0.25 <= transport._delay(0, {}) <= 0.5
    assert 4 <= transport._delay(4, None) <= 8
    assert transport._delay(20, None) <= 30


def test_problem_json_becomes_the_typed_exception_with_its_fields():
    error = error_for(400, {"title": "Invalid request", "status": 400, "detail": "bad", "errors": {"kpis[0].min": ["x"]}},
                      method="PUT", url="http://h/api/projects/p", headers={}, body="")
    assert isinstance(error, BadRequest) and error.errors == {"kpis[0].min": ["x"]} and error.exit_code == 6
    assert "kpis[0].min" in str(error)
    assert isinstance(error_for(409, None, method="GET", url="u", headers={}, body=""), Conflict)
    assert isinstance(error_for(500, {"correlationId": "c1"}, method="GET", url="u", headers={}, body=""), ServerError)


def test_plain_progress_prints_a_line_when_tqdm_is_not_used():
    out = io.StringIO()
    with Progress(2048, "uploading x.csv", "B", use_tqdm=False, stream=out, every=0) as progress:
        progress.update(1024)
        progress.update(1024)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "uploading x.csv: 2.0 KiB/2.0 KiB (100%)"
    waiting = io.StringIO()
    with Progress(None, "run r1", "trial", use_tqdm=False, stream=waiting, every=0) as progress:
        progress.set(0, 2, "DataScience/Running")
        progress.set(2, 2, "Approval/AwaitingApproval")
    assert waiting.getvalue().splitlines() == ["run r1: 0/2 (0%) DataScience/Running",
                                               "run r1: 2/2 (100%) Approval/AwaitingApproval"]
    quiet = io.StringIO()
    with Progress(10, "q", quiet=True, stream=quiet) as progress:
        progress.update(10)
    assert quiet.getvalue() == ""


def test_frames_are_lists_of_dataclasses_without_pandas(monkeypatch):
    board = LeaderboardView.from_json({"runId": "r", "sort": "microAccuracy:desc", "trials": [
        {"rank": 1, "id": "r.t001", "trainer": "LightGbm", "metrics": {"microAccuracy": 0.83}},
        {"rank": 2, "id": "r.t002", "trainer": "Sdca", "metrics": {"microAccuracy": "NaN"}}]})
    monkeypatch.setattr(_base, "pandas_or_none", lambda: None)
    rows = board.to_frame()
    assert isinstance(rows, list) and rows[0].trainer == "LightGbm" and rows[0].metrics["microAccuracy"] == 0.83
    assert rows[1].metrics["microAccuracy"] != rows[1].metrics["microAccuracy"]  # "NaN" parsed as a float NaN


def test_frames_are_dataframes_with_pandas():
    pandas = pytest.importorskip("pandas")
    board = LeaderboardView.from_json({"runId": "r", "trials": [
        {"rank": 1, "id": "r.t001", "trainer": "LightGbm", "metrics": {"microAccuracy": 0.83}, "parameters": {"a": 1}}]})
    frame = board.to_frame()
    assert isinstance(frame, pandas.DataFrame)
    assert frame.loc[0, "metrics.microAccuracy"] == 0.83 and frame.loc[0, "parameters.a"] == 1


def test_a_union_answer_is_parsed_as_the_variant_it_is():
    pending = parse("UploadView", {"project": "p", "dataset": "d", "version": 2, "status": "Pending", "bytes": 5,
                                   "contentHash": "h", "source": "upload", "ingestionId": "i", "statusUrl": "/x"})
    assert isinstance(pending, UploadViewPendingUploadView) and pending.status_url == "/x"
    ready = parse("UploadView", {"project": "p", "dataset": "d", "version": "2", "status": "Ready", "kind": "tabular",
                                 "format": "csv", "contentType": "text/csv", "bytes": 5, "rowsIn": 1, "rowsOut": 1,
                                 "rowsQuarantined": 0, "rawBlob": "b", "createdAt": "2026-01-02T03:04:05.1234567Z",
                                 "usedBy": []})
    assert isinstance(ready, UploadViewDatasetVersionView) and ready.version == 2 and ready.created_at.year == 2026
    assert ready["contentType"] == "text/csv"


def test_approval_links_give_their_id_and_token():
    assert parse_approval_link("http://h:1/api/approvals/ab12?token=t.s") == ("ab12", "t.s")
    with pytest.raises(ValueError):
        parse_approval_link("http://h/api/runs/x?token=t")


def test_upload_length_is_known_for_files_and_unknown_for_pipes(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 1000)
    with open(path, "rb") as f:
        f.read(100)
        assert _length(f) == 900
    assert _length(io.BytesIO(b"abc")) == 3
    import os
    read, write = os.pipe()
    try:
        with os.fdopen(read, "rb", closefd=False) as pipe:
            assert _length(pipe) is None
    finally:
        os.close(read)
        os.close(write)
