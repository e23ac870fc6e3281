"""`mock-server check` as a real process: clean on the mock, each defect of the broken server found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.broken_server.fixture import API_KEY, CONTRACT, BrokenServer
from tests.fixtures.server import BUNDLED, ENGINES, ROOT, free_port

pytestmark = pytest.mark.e2e


def run_check(*args: str, timeout: float = 90, engine: str = "mock") -> subprocess.CompletedProcess[str]:
    """`mock-server check ARGS`; the mock it starts for itself runs on `engine` (MOCK_SERVER_ENGINE)."""
    return subprocess.run([sys.executable, "-m", "mock_server", "check", *args], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "MOCK_SERVER_ENGINE": engine})


@pytest.fixture(scope="module")
def broken_run(broken: BrokenServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    out = tmp_path_factory.mktemp("check")
    junit, report = out / "junit.xml", out / "report.json"
    result = run_check("--contracts", str(CONTRACT), "--base-url", broken.url, "--api-key", API_KEY,
                       "--max-examples", "5", "--junit", str(junit), "--report", "json", str(report))
    return result, junit, report


@pytest.mark.parametrize("engine", ENGINES)
def test_the_mock_checks_clean_against_the_bundled_contracts(engine: str) -> None:
    """Also the CI self-check: the mock is started by `check` itself, on each engine."""
    result = run_check("--contracts", str(BUNDLED), "--max-examples", "3", engine=engine)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 violations" in result.stdout


EXPECTED = {
    "getItem": "response_schema_conformance",
    "listWidgets": "status_code_conformance",
    "getReport": "response_headers_conformance",
    "divide": "not_a_server_error",
    "getPublic": "ignored_auth",
    "chat": "stream_termination",
}


def test_each_defect_is_reported_under_its_check(broken_run: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    result, _, report_path = broken_run
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    report = json.loads(report_path.read_text())
    found = {op["operation_id"]: set(op["failures_by_check"]) for op in report["operations"]}
    for operation, check in EXPECTED.items():
        assert check in found[operation], (operation, found[operation])
    assert "reproduce: curl" in result.stdout


def test_secrets_never_reach_any_output(broken_run: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    result, junit, report = broken_run
    for text in (result.stdout, result.stderr, junit.read_text(), report.read_text()):
        assert API_KEY not in text


def test_junit_parses_and_has_failures(broken_run: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    _, junit, _ = broken_run
    root = ET.parse(junit).getroot()
    failures = root.findall(".//testcase/failure")
    assert {f.get("type") for f in failures} >= set(EXPECTED.values())
    assert int(root.get("failures", "0")) == len(EXPECTED)


def test_an_unreachable_base_url_exits_2() -> None:
    result = run_check("--contracts", str(CONTRACT), "--base-url", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 2
    assert "unreachable" in result.stderr


def test_dry_run_lists_operations_and_sends_nothing(broken: BrokenServer) -> None:
    import httpx

    result = run_check("--contracts", str(CONTRACT), "--base-url", broken.url, "--dry-run")
    assert result.returncode == 0
    assert f"{broken.url}/v1/items/{{itemId}}" in result.stdout
    assert "nothing was sent" in result.stdout
    assert httpx.get(broken.url + "/health").json()["status"] == "ok"


def test_usage_errors_exit_2() -> None:
    result = run_check("--contracts", str(CONTRACT), "--base-url", "ftp://x", "--dry-run")
    assert result.returncode == 2
    result = run_check("--contracts", str(CONTRACT), "--operation", "nope", "--base-url", "http://127.0.0.1:9", "--dry-run")
    assert result.returncode == 2


def test_max_requests_stops_the_run(broken: BrokenServer) -> None:
    result = run_check("--contracts", str(CONTRACT), "--base-url", broken.url, "--api-key", API_KEY,
                       "--max-requests", "5", "--checks", "not_a_server_error")
    assert "stopped early: --max-requests 5 reached" in result.stdout
    assert "5 requests" in result.stdout or "4 requests" in result.stdout
