"""`serve --watch` over the wire: edits to a contract and to the rules file are served while a stream
stays open, and a broken edit leaves the previous version serving with the error reported."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.fixtures.server import TEST_CONTRACTS, start_server

pytestmark = pytest.mark.e2e

RULES = """
rules:
  - name: slow news
    match: {operationId: streamNews}
    pacing: {ttft: 3000, tokens_per_second: 10}   # open for 3 s or more: the edits land while it is open
"""
RULES_EDITED = RULES + """
  - name: items down
    match: {operationId: listItems}
    status: 503
"""
NEW_OPERATION = """
  /extra:
    get:
      operationId: getExtra
      responses:
        "200":
          description: Added while serving.
          content:
            application/json:
              schema: {type: object, required: [added], properties: {added: {type: boolean}}}
"""


def reloads_of(url: str) -> list[dict]:
    return httpx.get(f"{url}/__mock/reloads").json()["reloads"]


def wait_until(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s")


def test_edits_are_served_without_dropping_an_open_stream_and_a_broken_edit_keeps_the_old_version(
    tmp_path: Path,
) -> None:
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    contract = contracts / "shop.yaml"
    shutil.copy(TEST_CONTRACTS / "dashboard" / "shop.yaml", contract)
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    server = start_server("--contracts", str(contracts), "--rules", str(rules), "--watch", "--seed", "0")
    try:
        url = server.url
        assert httpx.get(f"{url}/shop/extra").status_code == 404
        stream_text: list[str] = []
        headers_arrived = threading.Event()

        def read_stream() -> None:
            with httpx.stream("GET", f"{url}/shop/news", timeout=30) as response:
                headers_arrived.set()
                stream_text.extend(response.iter_text())

        reader = threading.Thread(target=read_stream)
        reader.start()
        assert headers_arrived.wait(10)
        contract.write_text(contract.read_text().replace("paths:\n", "paths:\n" + NEW_OPERATION, 1))
        rules.write_text(RULES_EDITED)
        assert reader.is_alive(), "the stream ended before the edits: open it for longer"
        # (that a swap in the middle of a stream leaves it whole is checked in-process, where the
        # swap can be timed: tests/unit/test_reload.py; here a reload's time depends on the machine)
        wait_until(lambda: httpx.get(f"{url}/shop/extra").status_code == 200)  # the new operation
        wait_until(lambda: httpx.get(f"{url}/shop/items").status_code == 503)  # the edited rules file
        reloads = reloads_of(url)
        assert all(report["ok"] for report in reloads) and reloads[0]["rules"] == 2
        assert any("GET /shop/extra (getExtra)" in report["operations_added"] for report in reloads)
        assert "added" in httpx.get(f"{url}/shop/extra").json()
        reader.join(15)
        events = [line for line in "".join(stream_text).split("\n") if line.startswith("data: ")]
        assert events and events[-1] == "data: [DONE]", "the stream open during the edits did not complete"

        contract.write_text(contract.read_text() + "\nbroken: [\n")
        wait_until(lambda: not reloads_of(url)[0]["ok"])
        failed = reloads_of(url)[0]
        assert "shop.yaml" in failed["error"] and failed["files"] == [str(contract)]
        assert httpx.get(f"{url}/shop/extra").status_code == 200  # the previous version still serves
        assert "reload failed" in server.log() and "still serving the previous version" in server.log()
    finally:
        server.stop()
