"""`mock-server check`: each defect of the broken server found, coverage that a green run cannot
hide (credentials refused, operations not exercised or untested), and limits that hold, counted by
the server itself. (The mock checking clean against its bundled contracts is the README's
`mock-server check --max-examples 3`, run by test_readme.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mock_server.check import Report
from mock_server.check import check as run_check_in_process
from mock_server.check.settings import CheckSettings
from tests.broken_server.fixture import API_KEY, CONTRACT, BrokenServer
from tests.fixtures.server import BUNDLED, ROOT, free_port

pytestmark = pytest.mark.e2e


def run_check(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mock_server", "check", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def broken_run(broken: BrokenServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    out = tmp_path_factory.mktemp("check")
    junit, report = out / "junit.xml", out / "report.json"
    result = run_check("--contracts", str(CONTRACT), "--base-url", broken.url, "--api-key", API_KEY,
                       "--max-examples", "5", "--junit", str(junit), "--report", "json", str(report))
    return result, junit, report


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
    assert {f.get("type") for f in failures} >= {*EXPECTED.values(), "not_exercised"}
    archive = root.find(".//testcase[@name='getArchive (GET /v1/archive)']")
    assert archive is not None and archive.find("failure").get("type") == "not_exercised"  # type: ignore[union-attr]
    assert int(root.get("failures", "0")) == len(EXPECTED) + 1  # each defect's operation, and getArchive


BrokenRun = tuple[subprocess.CompletedProcess[str], Path, Path]


def test_the_report_says_what_each_operation_was_answered(broken_run: BrokenRun) -> None:
    result, _, report_path = broken_run
    report = json.loads(report_path.read_text())
    by_id = {op["operation_id"]: op for op in report["operations"]}
    archive = by_id["getArchive"]
    assert archive["coverage"] == "not exercised" and not archive["success_seen"]
    assert set(archive["status_classes"]) == {"4xx"} and archive["requests"] == sum(archive["status_classes"].values())
    assert by_id["getPublic"]["coverage"] == "exercised" and by_id["getPublic"]["status_classes"]["2xx"] >= 1
    assert "getArchive" in report["coverage"]["not exercised"]
    assert "not exercised: no request was answered 2xx/3xx: " in result.stdout and "getArchive (4xx×" in result.stdout
    assert isinstance(report["seed"], int) and "--seed 0 replays this run" in result.stdout
    for op in report["operations"]:  # numbers as a person reads them: 1.8, not 1.8339999999999999
        assert op["slowest_ms"] == round(op["slowest_ms"], 1)


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


def test_max_requests_stops_the_run_and_names_what_was_left_untested(broken: BrokenServer) -> None:
    result = run_check("--contracts", str(CONTRACT), "--base-url", broken.url, "--api-key", API_KEY,
                       "--max-requests", "5", "--checks", "not_a_server_error")
    assert "stopped early: --max-requests 5 reached" in result.stdout
    assert "5 requests" in result.stdout
    untested = next(line for line in result.stdout.splitlines() if line.startswith("untested: "))
    assert "getArchive" in untested and "getItem" in untested
    assert result.returncode == 1 and "clean" not in result.stdout.splitlines()[-1]


def in_process(**options: object) -> Report:
    """One check run in this process (no interpreter to start): its report."""
    settings = CheckSettings(contracts=(CONTRACT,), api_key=API_KEY, **options)  # type: ignore[arg-type]
    return next(event.report for event in run_check_in_process(settings) if hasattr(event, "report"))


def test_every_request_refused_is_credentials_refused_exit_2() -> None:
    """Against an API that answers 403 to everything, a green run would be a lie."""
    refusing = BrokenServer("--refuse")
    try:
        report = in_process(base_url=refusing.url, max_examples=2)
    finally:
        refusing.stop()
    assert report.exit_code == 2 and report.outcome.startswith("credentials refused for 7 operations")
    refused = {r.operation_id for r in report.results if r.coverage == "credentials refused"}
    assert refused == set(EXPECTED) | {"getArchive"}
    assert all(set(r.statuses) == {403} and r.refusals().startswith("403×") for r in report.results)


def test_an_operation_never_answered_2xx_fails_unless_allowed(broken: BrokenServer) -> None:
    strict = in_process(base_url=broken.url, max_examples=3, operations=("getArchive",))
    assert strict.exit_code == 1 and strict.violations == 0
    assert [r.coverage for r in strict.results] == ["not exercised"] and strict.outcome == "1 not exercised"
    allowed = in_process(base_url=broken.url, max_examples=3, operations=("getArchive",), allow_unexercised=True)
    assert allowed.exit_code == 0 and allowed.outcome == "1 not exercised (allowed)"


def test_max_examples_bounds_every_phase_as_the_server_counts(broken: BrokenServer) -> None:
    """Without the bound, the coverage phase alone sent 34 requests to `chat` at --max-examples 3."""
    broken.counts(reset=True)
    report = in_process(base_url=broken.url, max_examples=3)
    counted = broken.counts()
    for result in report.results:
        phases = 4 if result.operation_id == "chat" else 3  # examples, coverage, fuzzing (+ the stream check)
        assert 0 < counted[result.operation_id] <= 3 * phases, (result.operation_id, counted)
        assert result.requests == counted[result.operation_id]  # the report's figure is the server's
    assert counted["chat"] == 8  # coverage 3, fuzzing 3 (no examples declared), stream check 2
    assert any("coverage phase" in r.limited for r in report.results)


def test_the_per_operation_cap_holds_and_leaves_fuzzing_its_share(broken: BrokenServer) -> None:
    broken.counts(reset=True)
    report = in_process(base_url=broken.url, max_examples=10, max_requests_per_operation=4)
    counted = broken.counts()
    assert all(counted[r.operation_id] <= 4 and r.requests == counted[r.operation_id] for r in report.results), counted
    assert next(r for r in report.results if r.operation_id == "getItem").success_seen  # fuzzing still got requests


def test_refused_scopes_on_the_mock_exit_2_naming_the_operations() -> None:
    """The issue's run: a scope the AI operations do not accept; every one of their requests gets 403."""
    result = run_check("--contracts", str(BUNDLED / "emporix"), "--scope", "tenant=acme", "--max-examples", "2")
    assert result.returncode == 2, result.stdout[-3000:]
    refused = next(line for line in result.stdout.splitlines() if line.startswith("credentials refused: "))
    assert "POST-ai-generate-description (403×" in refused and "POST-ai-completions (403×" in refused
    assert "createAccessToken" not in refused  # its own requests succeed
