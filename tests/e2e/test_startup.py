"""Start-up on a real-world contract: an invalid one stops `serve` before it listens, however deep
its fault; the valid one is listening."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.fixtures.server import ROOT, free_port

KRATOS = ROOT / "bench" / "contracts" / "ory-kratos" / "api.json"  # 60 operations, 191 schemas


def serve_and_watch_the_port(contract: Path, timeout: float = 60.0) -> tuple[int | None, bool, str]:
    """Start `serve` and try to connect to its port every few ms until it exits or answers:
    (exit status or None if still running, whether a connection was ever accepted, stderr)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--contracts", str(contract), "--port", str(port), "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    connected = False
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None and not connected and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                connected = True
            except OSError:
                time.sleep(0.002)
    finally:
        status = process.poll()
        if status is None:
            process.terminate()
        _, err = process.communicate(timeout=30)
    return status, connected, err


def test_a_fault_deep_in_a_large_contract_stops_serve_before_it_listens(tmp_path: Path) -> None:
    document = json.loads(KRATOS.read_text())
    last_path = list(document["paths"])[-1]
    operation = next(iter(document["paths"][last_path].values()))
    # Valid to the document's JSON Schema, caught only by openapi-spec-validator's walk of the
    # schemas: a default of the wrong type, in the last operation.
    operation["responses"]["200"] = {"description": "ok", "content": {"application/json": {
        "schema": {"type": "integer", "default": "not a number"}}}}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    status, connected, err = serve_and_watch_the_port(broken)
    assert status == 2, err
    assert not connected  # the port never accepted a connection
    assert "broken.json: invalid OpenAPI document" in err and "not a number" in err

    valid = tmp_path / "valid.json"
    valid.write_text(KRATOS.read_text())
    status, connected, err = serve_and_watch_the_port(valid)
    assert status is None and connected, err  # the same watch sees a server that does listen
