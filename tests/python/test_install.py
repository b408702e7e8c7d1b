"""`pip install ./clients/python` works offline (no build isolation: pip would download setuptools) and puts the
`orchestrator` command on the PATH of the environment."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import CLIENT_DIR


@pytest.fixture
def leaves_the_source_tree_as_it_was():
    """pip builds in the source tree (build/, *.egg-info): what it leaves there that was not there before goes."""
    before = set(CLIENT_DIR.iterdir())
    yield
    for path in set(CLIENT_DIR.iterdir()) - before:
        shutil.rmtree(path, ignore_errors=True)


def test_pip_installs_offline_into_a_venv_and_the_command_runs(stack, tmp_path, leaves_the_source_tree_as_it_was):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True)
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-index",
                                "--no-build-isolation", "--no-cache-dir", "--quiet", str(CLIENT_DIR)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import orchestrator_client; print(orchestrator_client.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    health = subprocess.run([str(venv / "bin" / "orchestrator"), "--base-url", stack.base_url, "health", "-o", "json"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert health.returncode == 0, health.stderr
    assert json.loads(health.stdout) == {"status": "healthy"}
