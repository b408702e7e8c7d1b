"""The `orchestrator` command line as CI would use it: a separate process, exit codes, JSON output."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from conftest import CLIENT_DIR, cli, weather_project

PROJECT = "cli-weather"
state: dict = {}


def test_help_everywhere(capsys):
    from orchestrator_client.cli import build_parser, main
    parser = build_parser()
    paths = [[]]
    commands = next(a for a in parser._actions if a.dest == "command")
    for name, sub in commands.choices.items():
        paths.append([name])
        actions = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        for action in actions:
            paths.extend([name, verb] for verb in action.choices)
    for path in paths:
        with pytest.raises(SystemExit) as exited:
            main([*path, "--help"])
        shown = capsys.readouterr().out
        assert exited.value.code == 0, path
        assert "usage: orchestrator" in shown and "exit codes" in shown, path
    assert len(paths) > 30
    # and as the installed command runs it, in a process of its own
    result = subprocess.run([sys.executable, "-m", "orchestrator_client", "--help"], capture_output=True, text=True,
                            env={"PYTHONPATH": str(CLIENT_DIR), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and "datasets" in result.stdout


def test_usage_errors_exit_2(stack):
    assert cli(stack, "runs").returncode == 2
    assert cli(stack, "runs", "start", PROJECT).returncode == 2  # --dataset missing
    assert cli(stack, "call", "GetRun").returncode == 2  # runId missing


def test_token_prints_a_token_that_signs_in(stack):
    minted = cli(stack, "token", "--user", "cli@example.com", "--role", "DataScientist", "--role", "DataEngineer")
    assert minted.returncode == 0, minted.stderr
    token = minted.stdout.strip()
    assert token.count(".") == 2
    me = cli(stack, "me", "--output", "json", token=token)
    assert me.returncode == 0, me.stderr
    who = json.loads(me.stdout)
    assert who["id"] == "cli@example.com" and set(who["roles"]) == {"DataScientist", "DataEngineer"}
    state["token"] = token
    as_json = json.loads(cli(stack, "-o", "json", "token", "--user", "x@example.com", "--role", "Reader").stdout)
    assert as_json["user"] == "x@example.com" and as_json["token"]


def test_no_token_exits_4_and_a_missing_role_exits_4(stack):
    unauthorized = cli(stack, "projects", "list")
    assert unauthorized.returncode == 4 and "401" in unauthorized.stderr
    reader = stack.token("rey@example.com", "Reader")
    forbidden = cli(stack, "-o", "json", "runs", "start", PROJECT, "--dataset", "weather", token=reader)
    assert forbidden.returncode == 4
    problem = json.loads(forbidden.stderr)
    assert problem["status"] == 403 and problem["exitCode"] == 4


def test_not_found_exits_3(stack):
    result = cli(stack, "runs", "get", "no-such-run", token=state["token"])
    assert result.returncode == 3 and "Run not found" in result.stderr


def test_the_lifecycle_from_the_command_line(stack, tmp_path, weather_csv):
    token = state["token"]
    definition = tmp_path / "project.json"
    definition.write_text(json.dumps(weather_project()))
    assert cli(stack, "projects", "put", PROJECT, "--file", str(definition), token=token).returncode == 0

    uploaded = cli(stack, "-o", "json", "datasets", "upload", PROJECT, "weather", str(weather_csv), token=token)
    assert uploaded.returncode == 0, uploaded.stderr
    version = json.loads(uploaded.stdout)
    assert version["status"] == "Ready" and version["rowsOut"] == 1461

    run = cli(stack, "runs", "start", PROJECT, "--dataset", "weather", "--wait", "--output", "json", token=token)
    assert run.returncode == 0, run.stderr
    run = json.loads(run.stdout)
    assert run["status"] == "AwaitingApproval" and run["progress"]["trialsCompleted"] == 2
    state["run_id"] = run["runId"]

    board = cli(stack, "runs", "leaderboard", run["runId"], "-o", "json", token=token)
    assert board.returncode == 0
    trials = json.loads(board.stdout)["trials"]
    assert [t["rank"] for t in trials] == [1, 2] and "microAccuracy" in trials[0]["metrics"]
    table = cli(stack, "runs", "leaderboard", run["runId"], token=token)
    header = table.stdout.splitlines()[0].split()
    assert header[:4] == ["rank", "id", "trainer", "status"] and "metrics.microAccuracy" in header

    every = cli(stack, "runs", "leaderboard", run["runId"], "--limit", "1", "--all", "-o", "json", token=token)
    assert every.returncode == 0, every.stderr
    assert [t["id"] for t in json.loads(every.stdout)] == [t["id"] for t in trials]

    approvals = cli(stack, "approvals", "list", "--status", "pending", "-o", "json", token=token)
    assert approvals.returncode == 0
    assert run["runId"] in [a["runId"] for a in json.loads(approvals.stdout)["approvals"]]


def test_a_wait_that_times_out_exits_7(stack):
    result = cli(stack, "runs", "wait", state["run_id"], "--until", "Completed", "--wait-timeout", "1",
                 token=state["token"])
    assert result.returncode == 7 and "AwaitingApproval" in result.stderr


def test_approve_promote_rollback_predict_drift(stack, tmp_path):
    token = state["token"]
    link = stack.approval_link(state["run_id"])
    approved = cli(stack, "approvals", "approve", link, "--comment", "from the CLI", "-o", "json")
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)["status"] == "Approved"
    assert cli(stack, "approvals", "approve", link).returncode == 5  # decided already: 409

    done = cli(stack, "runs", "wait", state["run_id"], "--until", "Completed", "-o", "json", token=token)
    assert done.returncode == 0, done.stderr
    model_version = json.loads(done.stdout)["modelVersion"]

    mlops = stack.token("mia@example.com", "MlEngineer")
    promoted = cli(stack, "models", "promote", PROJECT, str(model_version), "--environment", "staging",
                   "--reason", "CLI test", "-o", "json", token=mlops)
    assert promoted.returncode == 0, promoted.stderr
    assert json.loads(promoted.stdout)["change"]["toVersion"] == model_version
    rollback = cli(stack, "models", "rollback", PROJECT, "--environment", "production", "--reason", "none",
                   token=mlops)
    assert rollback.returncode == 5 and "409" in rollback.stderr

    rows = tmp_path / "rows.csv"
    rows.write_text("date,precipitation,temp_max,temp_min,wind\n2015-07-01,0,27.2,14.4,2.9\n"
                    "2015-11-17,20.3,11.1,6.1,6.6\n")
    predicted = cli(stack, "predict", PROJECT, "--csv", str(rows), "-o", "json", token=mlops)
    assert predicted.returncode == 0, predicted.stderr
    answer = json.loads(predicted.stdout)
    assert answer["modelVersion"] == model_version and len(answer["predictions"]) == 2
    table = cli(stack, "predict", PROJECT, "--csv", str(rows), token=mlops)
    assert table.stdout.splitlines()[0].split()[:3] == ["predictionId", "modelVersion", "value"]

    bad = tmp_path / "bad.csv"
    bad.write_text("date,precipitation\n2015-07-01,0\n")
    invalid = cli(stack, "predict", PROJECT, "--csv", str(bad), token=mlops)
    assert invalid.returncode == 6 and "rows[0]" in invalid.stderr

    assert cli(stack, "monitoring", "run", PROJECT, token=mlops).returncode == 0
    drift = cli(stack, "monitoring", "drift", PROJECT, "-o", "json", token=mlops)
    assert drift.returncode == 0, drift.stderr
    view = json.loads(drift.stdout)
    assert "temp_max" in view["series"] and len(view["windows"]) >= 1
    table = cli(stack, "monitoring", "drift", PROJECT, token=mlops)
    assert "temp_max" in table.stdout and table.stdout.split()[:2] == ["windowStart", "feature"]


def test_a_run_that_ends_unsuccessfully_exits_8(stack, weather_csv):
    token = state["token"]
    scientist = stack.token("sam@example.com", "DataScientist")
    from orchestrator_client import Orchestrator
    client = Orchestrator(stack.base_url, scientist, quiet=True)
    client.projects.put("cli-strict", weather_project(kpis=[{"metric": "microAccuracy", "min": 0.999}],
                                                      candidates=[{"trainer": "SdcaMaximumEntropy", "parameters": {}}]))
    assert cli(stack, "datasets", "upload", "cli-strict", "weather", str(weather_csv), "-q", token=token).returncode == 0
    result = cli(stack, "runs", "start", "cli-strict", "--dataset", "weather", "--wait", "-o", "json", token=token)
    assert result.returncode == 8, result.stderr
    assert json.loads(result.stdout)["status"] == "Rejected" and "KPI" in result.stderr


def test_call_reaches_any_operation(stack):
    result = cli(stack, "call", "GetRun", f"runId={state['run_id']}", "-o", "json", token=state["token"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "Completed"
    result = cli(stack, "call", "ListTrials", f"runId={state['run_id']}", "sort=microAccuracy:asc", "-o", "json",
                 token=state["token"])
    trials = json.loads(result.stdout)["trials"]
    accuracy = [t["metrics"]["microAccuracy"] for t in trials]
    assert len(accuracy) == 2 and accuracy[0] <= accuracy[1]
