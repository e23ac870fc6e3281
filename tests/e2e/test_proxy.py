"""`mock-server proxy` in front of the broken server, and a recorded answer served back by the mock."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_server.check.session import wait_until_healthy
from tests.broken_server.fixture import API_KEY, CONTRACT, BrokenServer
from tests.fixtures.server import ROOT, free_port, start_server

pytestmark = pytest.mark.e2e
KEY = {"x-api-key": API_KEY}


class Proxy:
    def __init__(self, upstream: str, *args: str, log: Path | None = None, contracts: Path = CONTRACT) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        quiet = [] if log is not None else ["--quiet"]
        command = [sys.executable, "-m", "mock_server", "proxy", "--contracts", str(contracts), "--upstream", upstream,
                   "--port", str(self.port), *quiet, *args]
        if log is None:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            with log.open("wb") as output:  # the child keeps its own copy of the descriptor
                self.process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=output)
        if not wait_until_healthy(self.url + "/__mock/health", 20, self.process):
            self.stop()
            raise RuntimeError("the proxy did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def record_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("recorded")


@pytest.fixture(scope="module")
def proxy(broken: BrokenServer, record_dir: Path) -> Iterator[Proxy]:
    running = Proxy(broken.url, "--record", str(record_dir))
    yield running
    running.stop()


def test_violations_show_in_the_header_and_the_answer_is_untouched(proxy: Proxy) -> None:
    response = httpx.get(proxy.url + "/v1/items/5", headers=KEY)
    assert response.status_code == 200
    assert response.json() == {"id": "5", "name": "bolt"}  # the upstream's answer, as it was
    assert response.headers["x-mock-server-violations"].startswith("1;")
    assert "integer" in response.headers["x-mock-server-violations"]
    ok = httpx.get(proxy.url + "/v1/divide", params={"divisor": 4}, headers=KEY)
    assert ok.status_code == 200 and "x-mock-server-violations" not in ok.headers


def test_the_journal_lists_violations_streams_included(proxy: Proxy, record_dir: Path) -> None:
    httpx.get(proxy.url + "/v1/widgets", headers=KEY)
    with httpx.stream("POST", proxy.url + "/v1/chat", headers=KEY, json={"prompt": "hi", "stream": True}) as stream:
        events = [line for line in stream.iter_lines() if line.startswith("data:")]
    assert len(events) == 2  # passed through as the upstream sent them
    assert list(record_dir.glob("chat.200.*.json"))  # recorded before the stream's end reached the client
    journal = httpx.get(proxy.url + "/__mock/requests").json()["requests"]
    by_operation = {entry["operationId"]: entry for entry in journal}
    assert any("203" in v for v in by_operation["listWidgets"]["violations"])
    assert any("[DONE]" in v for v in by_operation["chat"]["violations"])
    assert API_KEY not in json.dumps(journal)


def test_strict_answers_502_on_a_violation(broken: BrokenServer, tmp_path: Path) -> None:
    strict = Proxy(broken.url, "--strict")
    try:
        bad = httpx.get(strict.url + "/v1/items/5", headers=KEY)
        assert bad.status_code == 502
        assert bad.json()["violations"]
        good = httpx.get(strict.url + "/v1/divide", params={"divisor": 4}, headers=KEY)
        assert good.status_code == 200
    finally:
        strict.stop()


def test_a_recorded_answer_is_served_back_by_the_mock(proxy: Proxy, record_dir: Path) -> None:
    answer = httpx.get(proxy.url + "/v1/public").json()
    files = sorted(record_dir.glob("getPublic.200.*.json"))
    assert files
    record = json.loads(files[0].read_text())
    assert record["body"] == answer and record["operationId"] == "getPublic"
    assert not any("key" in name.lower() for name in record["headers"])
    mock = start_server("--contracts", str(CONTRACT), "--examples", str(record_dir), "--quiet")
    try:
        served = httpx.get(mock.url + "/v1/public", headers=KEY)
        assert served.status_code == 200
        assert served.json() == answer
    finally:
        mock.stop()


def test_admin_paths_are_never_forwarded_and_the_journal_honours_limit(proxy: Proxy, broken: BrokenServer) -> None:
    httpx.get(proxy.url + "/v1/public")
    httpx.get(proxy.url + "/v1/divide", params={"divisor": 4}, headers=KEY)
    before = broken.counts().get("-", 0)
    assert len(httpx.get(proxy.url + "/__mock/requests", params={"limit": 1}).json()["requests"]) == 1
    assert httpx.get(proxy.url + "/__mock/requests", params={"limit": "x"}).status_code == 400
    assert httpx.get(proxy.url + "/__mock/contracts").status_code == 404  # the proxy's own 404
    reset = httpx.post(proxy.url + "/__mock/reset")
    assert reset.status_code == 200 and reset.json() == {"reset": ["journal"]}
    assert httpx.get(proxy.url + "/__mock/requests").json()["count"] == 0
    assert broken.counts().get("-", 0) == before  # the upstream saw none of them


def test_log_lines_are_the_path_only(broken: BrokenServer, tmp_path: Path) -> None:
    log = tmp_path / "proxy.log"
    logging = Proxy(broken.url, log=log)
    try:
        httpx.get(logging.url + "/v1/items/5", params={"api_key": "query-secret"}, headers=KEY)
    finally:
        logging.stop()
    text = log.read_text()
    assert "GET /v1/items/5 getItem 200" in text, text
    assert "query-secret" not in text and "api_key" not in text and "HTTP/1.1" not in text
