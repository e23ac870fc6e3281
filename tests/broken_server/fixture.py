"""Start the broken server as a real process (for the e2e tests of check and proxy)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fixtures.server import ROOT, free_port

CONTRACT = Path(__file__).with_name("contract.yaml")
API_KEY = "test-key"


class BrokenServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "tests.broken_server", str(self.port)], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the broken server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
