"""Start the broken server as a real process (for the e2e tests of check and proxy)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_server.check.session import wait_until_healthy
from tests.fixtures.server import ROOT, free_port

CONTRACT = Path(__file__).with_name("contract.yaml")
API_KEY = "test-key"


class BrokenServer:
    def __init__(self, *options: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "tests.broken_server", str(self.port), *options], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until_healthy(self.url + "/health", 20, self.process):
            self.stop()
            raise RuntimeError("the broken server did not start")

    def counts(self, *, reset: bool = False) -> dict[str, int]:
        """Requests received so far, by operationId ("-": no operation); `reset` forgets them."""
        return httpx.request("POST" if reset else "GET", self.url + "/counts").json()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def broken() -> Iterator[BrokenServer]:
    """The deliberately broken server, one per test module."""
    server = BrokenServer()
    yield server
    server.stop()
