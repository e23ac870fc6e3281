"""Contract tests: `mock-server check` as one test per operation (one JUnit test id each)."""

from __future__ import annotations

import os
from pathlib import Path

from mock_server.integrations import contract_tests

HERE = Path(__file__).parent

# The mock itself, started for the run, against the Emporix contracts: every operation passes.
test_the_mock = contract_tests(HERE / "../../openapi/emporix", max_examples=2)

# A deliberately broken API (tests/broken_server, started by the suite that runs this example):
# its defective operations fail, each with the check that caught it and a curl line to reproduce.
if os.environ.get("BROKEN_API_URL"):
    test_the_broken_api = contract_tests(HERE / "../broken_server/contract.yaml", base_url=os.environ["BROKEN_API_URL"],
                                         api_key="test-key", max_examples=3)
