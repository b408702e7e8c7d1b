"""Uploads stream: flights-3m.parquet (13 MB, 3 million rows) and a 220 MiB file go up from a separate Python process
whose peak RSS (getrusage) stays under 200 MiB and grows by less than 4 MiB while it uploads — reading the file whole
takes the 220 MiB one to about 245 MiB, and adds about 6 MiB for flights-3m; an upload from a pipe, whose length
nobody knows, goes chunked."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CLIENT_DIR, SAMPLE_DATA, weather_project

CHILD = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from orchestrator_client import Orchestrator
import orchestrator_client.progress, tqdm  # loaded before the baseline, as the upload uses them
client = Orchestrator(sys.argv[2], sys.argv[3])
path = sys.argv[4]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
version = client.datasets.upload("flights", sys.argv[5], path, content_type=sys.argv[6] or None)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kib": before, "peak_kib": after, "status": version.status, "rows": version.rows_in,
                  "bytes": version.bytes}))
"""


@pytest.fixture(scope="module")
def flights_project(people):
    people["admin"].projects.put("flights", weather_project(label="delay", task="regression", primaryMetric="rSquared",
                                                            kpis=[], candidates=[{"trainer": "Sdca", "parameters": {}}]))


def upload_in_a_child(stack, path, dataset, content_type=""):
    result = subprocess.run([sys.executable, "-c", CHILD, str(CLIENT_DIR), stack.base_url,
                             stack.token("dana@example.com", "DataEngineer"), str(path), dataset, content_type],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def assert_streamed(measured):
    assert measured["peak_kib"] < 200 * 1024, measured
    grew = measured["peak_kib"] - measured["before_kib"]
    assert grew < 4 * 1024, f"the upload grew the process by {grew} KiB: {measured}"


def test_flights_3m_parquet_uploads_in_bounded_memory(stack, flights_project):
    path = SAMPLE_DATA / "flights-3m.parquet"
    measured, progress = upload_in_a_child(stack, path, "flights")
    assert measured["bytes"] == path.stat().st_size and measured["status"] == "Ready"
    assert measured["rows"] == 3_000_000
    assert_streamed(measured)
    assert "flights-3m.parquet" in progress  # the progress bar (tqdm here) named the file


def test_a_220_mib_file_uploads_in_bounded_memory(stack, flights_project, tmp_path):
    path = tmp_path / "large.bin"
    with open(path, "wb") as f:
        f.truncate(220 * 1024 * 1024)  # sparse: costs no disk here, 220 MiB on the wire
    measured, _ = upload_in_a_child(stack, path, "large-file", "application/octet-stream")
    assert measured["bytes"] == 220 * 1024 * 1024 and measured["status"] == "Ready"
    assert_streamed(measured)


def test_an_upload_from_a_pipe_goes_chunked(stack, people, weather_csv):
    people["scientist"].projects.put("piped", weather_project())
    with subprocess.Popen(["cat", str(weather_csv)], stdout=subprocess.PIPE) as cat:
        version = people["engineer"].datasets.upload("piped", "weather", cat.stdout, name="seattle-weather.csv")
    assert version.status == "Ready" and version.rows_in == 1461 and version.bytes == weather_csv.stat().st_size


def test_an_upload_answered_202_is_followed_until_ready(people, weather_csv):
    from orchestrator_client import models as m
    people["scientist"].projects.put("later", weather_project())
    pending = people["engineer"].datasets.upload("later", "weather", weather_csv, respond_async=True, wait=False)
    assert isinstance(pending, m.UploadViewPendingUploadView) and pending.status == "Pending"
    assert pending.status_url.endswith(f"/versions/{pending.version}")
    other = weather_csv.read_bytes() + b"2016-01-01,0.0,10.0,2.0,3.0,sun\n"
    ready = people["engineer"].datasets.upload("later", "weather", other, name="more.csv", respond_async=True)
    assert isinstance(ready, m.DatasetVersionView) and ready.status == "Ready" and ready.rows_in == 1462
