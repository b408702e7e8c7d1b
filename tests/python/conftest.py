"""One real stack for the whole session (Azurite and the self-hosted server, stopped at the end), and clients signed in
as the demo's people through the development issuer."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "clients" / "python"))

from stack import ROOT, SAMPLE_DATA, Stack  # noqa: E402

from orchestrator_client import Orchestrator  # noqa: E402

CLIENT_DIR = ROOT / "clients" / "python"
PEOPLE = {
    "engineer": ("dana@example.com", "DataEngineer"),
    "scientist": ("sam@example.com", "DataScientist"),
    "mlops": ("mia@example.com", "MlEngineer"),
    "admin": ("ada@example.com", "Admin"),
    "reader": ("rey@example.com", "Reader"),
}
CANDIDATES = [{"trainer": "LightGbm", "parameters": {"numberOfLeaves": 8, "numberOfIterations": 50}},
              {"trainer": "SdcaMaximumEntropy", "parameters": {}}]


def weather_project(**overrides) -> dict:
    """seattle-weather as infra/local/demo.mjs defines it, with two small candidates so a run takes seconds."""
    project = {"task": "multiclass", "label": "weather", "primaryMetric": "microAccuracy",
               "kpis": [{"metric": "microAccuracy", "min": 0.7}], "approvers": ["sme@example.com"],
               "approvalTimeout": "72:00:00", "candidates": CANDIDATES}
    project.update(overrides)
    return project


@pytest.fixture(scope="session")
def stack():
    started = Stack()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def people(stack) -> dict[str, Orchestrator]:
    return {name: Orchestrator(stack.base_url, stack.token(user, role), quiet=True)
            for name, (user, role) in PEOPLE.items()}


@pytest.fixture(scope="session")
def weather_csv() -> Path:
    path = SAMPLE_DATA / "seattle-weather.csv"
    assert path.exists(), f"{path} is missing: run infra/local/setup.sh"
    return path


def cli(stack, *args: str, token: str | None = None, stdin: str | None = None, timeout: float = 180):
    """Runs `python -m orchestrator_client …` as a separate process against the stack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env["ORCHESTRATOR_URL"] = stack.base_url
    env["PYTHONPATH"] = str(CLIENT_DIR)
    if token:
        env["ORCHESTRATOR_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "orchestrator_client", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=timeout)


def pytest_runtest_makereport(item, call):
    """On a failure, the server log's tail goes into the report (a test's assertion rarely says why the server did)."""
    if call.excinfo is not None and "stack" in getattr(item, "fixturenames", ()):
        stack = item.funcargs.get("stack") if hasattr(item, "funcargs") else None
        if stack is not None:
            item.add_report_section(call.when, "server log (last 40 lines)", "\n".join(stack.log().splitlines()[-40:]))
