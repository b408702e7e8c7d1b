"""problem+json answers of the real server surface as typed exceptions carrying their fields."""
from __future__ import annotations

import pytest

from conftest import weather_project

from orchestrator_client import (ApiError, BadRequest, Forbidden, NotFound, Orchestrator, TransportError,
                                 Unauthorized, UnprocessableEntity)


def test_an_invalid_definition_is_a_bad_request_naming_the_fields(people):
    with pytest.raises(BadRequest) as caught:
        people["scientist"].projects.put("broken", weather_project(task="nonsense", approvers=[]))
    error = caught.value
    assert isinstance(error, ApiError) and error.status == 400 and error.title
    assert "task" in error.errors and "approvers" in error.errors
    assert any("multiclass" in message for message in error.errors["task"])


def test_a_mistyped_json_field_is_named_by_its_path(people):
    with pytest.raises(BadRequest) as caught:
        people["scientist"].projects.put("broken", weather_project(kpis=[{"metric": "microAccuracy", "min": "high"}]))
    assert list(caught.value.errors) == ["kpis[0].min"]


def test_data_that_breaks_the_checks_is_unprocessable_with_errors_by_column(people):
    people["scientist"].projects.put("checks", weather_project())
    # Rows without the label are kept unless the dataset's owner requires it.
    people["engineer"].datasets.patch("checks", "weather", expectations={"columns": {"weather": {"notNull": True}}})
    csv = b"date,precipitation,temp_max,temp_min,wind,weather\n2020-01-01,0,10,2,3,sun\n2020-01-02,0,9,1,2,\n" \
          b"2020-01-03,1,8,1,2,\n"
    with pytest.raises(UnprocessableEntity) as caught:
        people["engineer"].datasets.upload("checks", "weather", csv, name="gaps.csv")
    assert caught.value.status == 422
    assert any("label is missing" in m for m in caught.value.errors["weather"])


def test_a_row_that_breaks_a_check_is_quarantined_and_listed(people, weather_csv):
    people["scientist"].projects.put("quarantine", weather_project())
    people["engineer"].datasets.patch("quarantine", "weather", expectations={"columns": {"weather": {"notNull": True}}})
    data = weather_csv.read_bytes() + b"2016-01-01,0.0,10.0,2.0,3.0,\n"  # no label
    version = people["engineer"].datasets.upload("quarantine", "weather", data, name="with-a-gap.csv")
    assert version.status == "Ready" and version.rows_quarantined == 1
    rows = people["engineer"].datasets.quarantine("quarantine", "weather", version.version)
    assert len(rows) == 1 and rows[0]["values"]["date"] == "2016-01-01"
    assert "label" in rows[0]["reasons"][0]["reason"]
    frame = rows.to_frame()
    assert len(frame) == 1


def test_a_row_without_the_label_is_kept_in_the_curated_version(people, weather_csv):
    people["scientist"].projects.put("unlabelled", weather_project())
    data = weather_csv.read_bytes() + b"2016-01-01,0.0,10.0,2.0,3.0,\n"  # no label
    version = people["engineer"].datasets.upload("unlabelled", "weather", data, name="with-a-gap.csv")
    assert version.status == "Ready" and version.rows_quarantined == 0 and version.rows_out == version.rows_in


def test_no_token_is_unauthorized(stack):
    with pytest.raises(Unauthorized) as caught:
        Orchestrator(stack.base_url, token="", quiet=True).projects.list()
    assert caught.value.status == 401 and caught.value.headers.get("www-authenticate", "").startswith("Bearer")


def test_a_forged_token_is_unauthorized(stack):
    with pytest.raises(Unauthorized):
        Orchestrator(stack.base_url, token="eyJhbGciOiJIUzI1NiJ9.e30.forged", quiet=True).me()


def test_a_missing_role_is_forbidden_and_says_which(people):
    with pytest.raises(Forbidden) as caught:
        people["reader"].runs.start("checks", "weather")
    assert caught.value.status == 403 and "DataScientist" in caught.value.detail


def test_an_unknown_run_is_not_found(people):
    with pytest.raises(NotFound) as caught:
        people["reader"].runs.get("no-such-run")
    assert caught.value.status == 404 and "no-such-run" in caught.value.detail


def test_an_unreachable_server_is_a_transport_error_after_the_retries():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = Orchestrator(f"http://127.0.0.1:{port}", token="x", retries=2, backoff=0.01, quiet=True)
    slept = []
    client.transport.sleep = slept.append
    with pytest.raises(TransportError):
        client.health()
    assert len(slept) == 2
