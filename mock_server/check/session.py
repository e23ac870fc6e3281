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

from .report import Report, RunError, RunFinished
from .runner import run_check
from .settings import CheckSettings

MOCK_CLIENT_ID = "mock-server-check"
START_TIMEOUT_S = 30.0


def check(settings: CheckSettings) -> Iterator[Any]:
    if settings.base_url is not None:
        yield from run_check(settings, settings.base_url)
        return
    if settings.dry_run:
        yield from run_check(settings, "http://127.0.0.1:<port>")
        return
    own = self_check_settings(settings)
    assert own.api_key is not None
    try:
        mock = MockProcess.start(settings.contracts, own.api_key)
    except RuntimeError as exc:
        yield RunError(str(exc))
        yield RunFinished(Report("(mock)", [], errors=[str(exc)]))
        return
    try:
        yield from run_check(own, mock.url)
    finally:
        mock.stop()


def self_check_settings(settings: CheckSettings) -> CheckSettings:
    """The credentials of a check of the mock itself, unless the user gave some: a one-off API key
    (the mock is started with `--auth strict --api-key KEY`) and client credentials for its own
    token endpoint."""
    own = settings.replace(api_key=settings.api_key or "check-" + secrets.token_hex(8))
    if not settings.client_id:
        own = own.replace(client_id=MOCK_CLIENT_ID, client_secret=secrets.token_hex(8))
    return own


def wait_until_healthy(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> bool:
    """Poll `url` until it answers 200; False on time-out or when `process` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    return False


class MockProcess:
    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    @classmethod
    def start(cls, contracts: tuple[Path, ...], api_key: str) -> MockProcess:
        """The mock for a self-check: strict auth, so `ignored_auth` means something."""
        arguments = ["--quiet", "--auth", "strict", "--api-key", api_key]
        for contract in contracts:
            arguments += ["--contracts", str(contract)]
        # The mock under check is the plain mock: MOCK_SERVER_* variables meant for `check` (or a
        # MOCK_SERVER_RULES / _ERROR_RATE left in the shell) must not change what it answers.
        clean = {name: value for name, value in os.environ.items() if not name.startswith("MOCK_SERVER_")}
        return cls.launch(*arguments, env=clean)

    @classmethod
    def launch(cls, *serve_arguments: str, port: int | None = None, cwd: Path | None = None,
               timeout: float = START_TIMEOUT_S, env: dict[str, str] | None = None) -> MockProcess:
        """`mock-server serve ARGUMENTS` on a free port, returned once /__mock/health answers."""
        port = port or free_port()
        log = Path(tempfile.mkstemp(prefix="mock-server-", suffix=".log")[1])
        command = [sys.executable, "-m", "mock_server", "serve", "--port", str(port), *serve_arguments]
        with log.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                       env=os.environ.copy() if env is None else env, cwd=cwd)
        mock = cls(process, f"http://127.0.0.1:{port}", log)
        if not wait_until_healthy(f"{mock.url}/__mock/health", timeout, process):
            exited = process.poll()
            mock.stop(keep_log=True)
            tail = mock.tail()
            mock.log.unlink(missing_ok=True)
            if exited is not None:
                raise RuntimeError(f"mock-server exited with {exited}:\n{tail}")
            raise RuntimeError(f"the mock did not answer /__mock/health within {timeout:.0f}s:\n{tail}")
        return mock

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def stop(self, *, keep_log: bool = False) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if not keep_log:
            self.log.unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
