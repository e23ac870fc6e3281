"""`check(settings)`: the run against `--base-url`, or against a mock started for the run.

Without a base URL the mock is started as `python -m mock_server serve` on a free port with
strict auth and a one-off API key, so `ignored_auth` is meaningful; unless the user gave
credentials, the check uses that key and client credentials exchanged at the mock's token endpoint.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from ..check_settings import CheckSettings
from .report import Report, RunError, RunFinished
from .runner import run_check

MOCK_CLIENT_ID = "mock-server-check"
START_TIMEOUT_S = 30.0


def check(settings: CheckSettings) -> Iterator[Any]:
    if settings.base_url is not None:
        yield from run_check(settings, settings.base_url)
        return
    if settings.dry_run:
        yield from run_check(settings, "http://127.0.0.1:<port>")
        return
    api_key = settings.api_key or "check-" + secrets.token_hex(8)
    try:
        mock = MockProcess.start(settings.contracts, api_key)
    except RuntimeError as exc:
        yield RunError(str(exc))
        yield RunFinished(Report("(mock)", [], errors=[str(exc)]))
        return
    try:
        own = settings.replace(api_key=api_key)
        if not settings.client_id:
            own = own.replace(client_id=MOCK_CLIENT_ID, client_secret=secrets.token_hex(8))
        yield from run_check(own, mock.url)
    finally:
        mock.stop()


class MockProcess:
    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    @classmethod
    def start(cls, contracts: tuple[Path, ...], api_key: str) -> "MockProcess":
        port = _free_port()
        log = Path(tempfile.mkstemp(prefix="mock-server-check-", suffix=".log")[1])
        command = [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--quiet",
                   "--auth", "strict", "--api-key", api_key]
        for contract in contracts:
            command += ["--contracts", str(contract)]
        with log.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
        mock = cls(process, f"http://127.0.0.1:{port}", log)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the mock exited with {process.returncode}: {mock.tail()}")
            try:
                if httpx.get(f"{mock.url}/__mock/health", timeout=1).status_code == 200:
                    return mock
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        mock.stop()
        raise RuntimeError(f"the mock did not answer /__mock/health within {START_TIMEOUT_S:.0f}s: {mock.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.unlink(missing_ok=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
