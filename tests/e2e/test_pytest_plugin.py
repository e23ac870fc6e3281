"""The pytest plugin as a user meets it: the example project (tests/pytest_example/, no
conftest.py) run by pytest in a process of its own, the plugin loaded through its entry point.
(`--mock-url`, driving a mock already running, is shown by the README's pytest samples: see
test_readme.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.broken_server.fixture import BrokenServer
from tests.fixtures.server import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]  # pytest or check in a process of its own

EXAMPLE = ROOT / "tests" / "pytest_example"


def run_example(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """pytest in the example project; its outcome per test id, from its JUnit report."""
    junit = tmp_path / "junit.xml"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MOCK_SERVER_"))}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "--junitxml", str(junit), *args], cwd=EXAMPLE,
                            env={**environment, **env}, capture_output=True, text=True, timeout=300)
    outcomes = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        found = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        test_id = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        outcomes[test_id] = found[0] if found else "passed"
    return result, outcomes


def test_the_example_project_passes_and_fails_where_it_should(tmp_path: Path) -> None:
    broken = BrokenServer()
    try:
        result, outcomes = run_example(tmp_path, BROKEN_API_URL=broken.url)
    finally:
        broken.stop()
    report = result.stdout + result.stderr
    failed = {test for test, outcome in outcomes.items() if outcome != "passed"}
    assert failed == {
        "test_shop::test_must_fail_an_operation_never_called",
        *(f"test_contract::test_the_broken_api[{op}]"
          for op in ("getItem", "listWidgets", "getReport", "divide", "getPublic", "chat", "getArchive")),
    }, report[-4000:]
    # one test id per operation, for the mock's own contract too
    assert {t for t in outcomes if t.startswith("test_contract::test_the_mock[")} == {
        "test_contract::test_the_mock[POST-ai-generate-description]",
        "test_contract::test_the_mock[POST-ai-completions]", "test_contract::test_the_mock[createAccessToken]"}
    assert "expected POST-ai-completions to be called at least once, it was called 0 times" in report
    assert "POST /ai-service/acme/texts (POST-ai-generate-description) → 200" in report
    assert "[response_schema_conformance] Response violates schema" in report
    assert "reproduce: curl -X GET -H 'X-Api-Key: [REDACTED]'" in report and "test-key" not in report
    assert "not exercised: no request was answered 2xx/3xx" in report  # getArchive
    assert result.returncode == 1


def test_one_shared_mock_is_reset_before_each_test(tmp_path: Path) -> None:
    """Session scope, contracts from the command line, the plugin named with -p (autoload off)."""
    result, outcomes = run_example(tmp_path, "test_shop.py", "-p", "mock_server.integrations.pytest_plugin",
                                   "--mock-server-scope=session", f"--mock-contracts={ROOT / 'openapi'}",
                                   PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    assert {t for t, outcome in outcomes.items() if outcome != "passed"} == {
        "test_shop::test_must_fail_an_operation_never_called"}, result.stdout[-3000:]
    assert "test_shop::test_each_test_starts_with_an_empty_journal" in outcomes

