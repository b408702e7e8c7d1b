"""A real stack for the tests, as tests/portal/harness.mjs starts one: Azurite on free ports and the self-hosted server
(SERVER_DLL, default the Debug build) with the development token issuer and an email pickup folder."""
from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER_DLL = Path(os.environ.get("SERVER_DLL") or
                  ROOT / "functions" / "Orchestrator.Server" / "bin" / "Debug" / "net10.0" / "Orchestrator.Server.dll")
SAMPLE_DATA = ROOT / "infra" / "local" / "node_modules" / "vega-datasets" / "data"
# Azurite's three services side by side in one process (see that script).
AZURITE_SERVICES = ROOT / "infra" / "local" / "azurite-services.mjs"
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
LINK = re.compile(r"https?://\S+/api/approvals/[0-9a-f]+\?token=[^\s\"<]+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what: str, seconds: float = 60):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # not yet
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{what} did not happen within {seconds} s")


class Stack:
    def __init__(self, settings: list[str] | None = None):
        if not SERVER_DLL.exists():
            raise RuntimeError(f"Build the server first: {SERVER_DLL} is missing")
        self.work = Path(tempfile.mkdtemp(prefix="python-client-test-"))
        self.outbox = self.work / "outbox"
        self.outbox.mkdir()
        blob, queue, table, http = free_port(), free_port(), free_port(), free_port()
        self.azurite = subprocess.Popen(
            ["node", str(AZURITE_SERVICES), "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
             "--location", str(self.work / "azurite"), "--blobHost", "127.0.0.1", "--blobPort", str(blob),
             "--queueHost", "127.0.0.1", "--queuePort", str(queue), "--tableHost", "127.0.0.1",
             "--tablePort", str(table)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        storage = (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
                   f"BlobEndpoint=http://127.0.0.1:{blob}/{ACCOUNT};QueueEndpoint=http://127.0.0.1:{queue}/{ACCOUNT};"
                   f"TableEndpoint=http://127.0.0.1:{table}/{ACCOUNT};")
        self.base_url = f"http://127.0.0.1:{http}"
        stamp = int(time.time() * 1000)
        args = ["dotnet", str(SERVER_DLL), f"--AzureWebJobsStorage={storage}", f"--Server:Urls={self.base_url}",
                f"--Approvals:PublicBaseUrl={self.base_url}", f"--Approvals:SigningKeys:0=python-tests-approvals-{stamp}",
                f"--Email:PickupDirectory={self.outbox}", "--extensions:durableTask:hubName=PythonTestHub",
                "--Approvals:AllowUngrantedApprovers=true", "--Retraining:Schedule=0 0 0 1 1 *",
                "--Auth:Development:Enabled=true", f"--Auth:Development:Key=python-tests-{stamp}", *(settings or [])]
        self.log_path = self.work / "server.log"
        self._log = open(self.log_path, "wb")
        self.server = subprocess.Popen(args, cwd=self.work, stdout=self._log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        try:
            wait_for(lambda: urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5).status == 200,
                     "the server answering /healthz", 90)
        except Exception as error:
            tail = self.log()[-4000:]
            self.stop()
            raise RuntimeError(f"{error}\n{tail}") from error
        self._tokens: dict = {}
        atexit.register(self.stop)  # should the session end without its fixture's finalizer

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def token(self, user: str, *roles: str, groups: tuple = ()) -> str:
        key = (user, roles, groups)
        if key not in self._tokens:
            request = urllib.request.Request(f"{self.base_url}/api/dev/token", method="POST",
                                             data=json.dumps({"user": user, "roles": list(roles),
                                                              "groups": list(groups)}).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                self._tokens[key] = json.load(answer)["token"]
        return self._tokens[key]

    def approval_link(self, run_id: str, seconds: float = 60) -> str:
        """The approval link emailed about `run_id` (read from the pickup folder's .eml files)."""
        def find():
            for mail in sorted(self.outbox.glob("*.eml")):
                try:
                    text = mail.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                text = re.sub(r"=\r?\n", "", text).replace("=3D", "=")
                if run_id not in text:
                    continue
                found = LINK.search(text)
                if found:
                    return found.group(0)
            return None
        return wait_for(find, f"an approval email for {run_id}", seconds)

    def stop(self) -> None:
        if self._log.closed:
            return
        for process, grace in ((self.server, 10), (self.azurite, 0)):
            if process.poll() is not None:
                continue
            try:
                process.send_signal(signal.SIGTERM if grace else signal.SIGKILL)
                process.wait(timeout=grace or 5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self._log.close()
        shutil.rmtree(self.work, ignore_errors=True)
