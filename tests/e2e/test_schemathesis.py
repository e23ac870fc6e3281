"""schemathesis, with every check, finds nothing against the mock: bundled and test contracts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mock_server.contracts.loading import discover, load_contracts
from tests.fixtures.server import BUNDLED, TEST_CONTRACTS, RunningServer, start_server

pytestmark = pytest.mark.e2e

ST = str(Path(sys.executable).with_name("st"))
CREDENTIALS = ["-H", "Authorization: Bearer schemathesis-token", "-H", "x-api-key: schemathesis-key"]
MAX_EXAMPLES = "25"


def run_schemathesis(contract: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ST, "run", str(contract), "--url", base_url, "--checks", "all", "--max-examples", MAX_EXAMPLES,
         "--seed", "1", "--no-color", *CREDENTIALS,
         # about schemathesis' own data generation for deeply recursive bodies, not about the answers
         "--suppress-health-check", "filter_too_much,too_slow"],
        capture_output=True, text=True, timeout=240,
    )


def base_url(server: RunningServer, contract: Path) -> str:
    (loaded,) = load_contracts([contract])
    return server.url + loaded.base_path


@pytest.mark.parametrize("contract", [path for path, _ in discover([BUNDLED])], ids=lambda p: p.parent.name + "/" + p.name)
def test_bundled_contract_conforms(mock_server: RunningServer, contract: Path) -> None:
    result = run_schemathesis(contract, base_url(mock_server, contract))
    assert result.returncode == 0, result.stdout[-20000:]  # the failing cases come before the summary
    assert "No issues found" in result.stdout


GENERATOR_CONTRACTS = ("crud", "openapi31", "cycles", "polymorphic")


@pytest.mark.timeout(270)  # schemathesis' own generation of recursive bodies: ~20 s alone, minutes on a loaded machine
@pytest.mark.parametrize("name", GENERATOR_CONTRACTS)
def test_generator_contract_conforms(name: str) -> None:
    contract = TEST_CONTRACTS / name / "openapi.yaml"
    server = start_server("--contracts", str(contract), "--seed", "0", "--quiet")
    try:
        result = run_schemathesis(contract, base_url(server, contract))
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout[-20000:]  # the failing cases come before the summary
    assert "No issues found" in result.stdout
