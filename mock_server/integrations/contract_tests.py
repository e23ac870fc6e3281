"""`mock-server check` as pytest tests: one test per operation, so CI's JUnit has one test id each.

    # test_contract.py
    import os
    from mock_server.integrations import contract_tests

    test_api = contract_tests("openapi", base_url=os.environ["API_URL"], api_key=os.environ["API_KEY"],
                              max_examples=5, max_requests_per_operation=20)

collects `test_api[createChatCompletion]`, `test_api[createAccessToken]`, ... The check runs once,
for every operation, when the first of them runs (one schemathesis run, its limits as on the
command line); each test then passes or fails on its own operation's findings: every violation
with its curl line, credentials refused, not exercised (unless `allow_unexercised=True`), or left
untested. Without `base_url` the mock itself is checked: served from a thread of the test process
for the run (strict auth, a one-off API key), as `mock-server check` does with a process of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ..check import Report, check
from ..check.report import EXERCISED, NOT_EXERCISED, REFUSED, OperationResult
from ..check.session import self_check_settings
from ..check.settings import CheckSettings
from ..contracts.loading import load_contracts


def contract_tests(*contracts: str | Path, base_url: str | None = None, **options: Any) -> Callable[[str], None]:
    """A test function parametrized by operationId; `options` are `CheckSettings` fields
    (`api_key`, `client_id`, `client_secret`, `headers`, `max_examples`, `rate_limit`, ...)."""
    settings = CheckSettings(contracts=tuple(Path(c) for c in contracts) or (Path("openapi"),), base_url=base_url,
                             **options)
    chosen = set(settings.operations)
    operation_ids = [op.operation_id for contract in load_contracts(settings.contracts) for op in contract.operations
                     if not chosen or op.operation_id in chosen]

    @pytest.mark.parametrize("operation_id", operation_ids)
    def test_operation_honours_its_contract(operation_id: str) -> None:
        report = _run(settings)
        if report.errors:
            pytest.fail("the check could not run:\n" + "\n".join(report.errors), pytrace=False)
        result = next(r for r in report.results if r.operation_id == operation_id)
        problem = verdict(result, report)
        if problem:
            pytest.fail(problem, pytrace=False)

    return test_operation_honours_its_contract


@functools.cache
def _run(settings: CheckSettings) -> Report:
    """One check per settings for the whole session, shared by the tests of its operations."""
    if settings.base_url is not None or settings.dry_run:
        return _report(settings)
    from ..app import create_app
    from ..settings import ServeSettings
    from .thread_server import ThreadServer

    own = self_check_settings(settings)
    assert own.api_key is not None
    mock = ThreadServer(create_app(ServeSettings(contracts=settings.contracts, auth="strict", api_keys=(own.api_key,),
                                                 access_log=False)))
    try:
        return _report(own.replace(base_url=mock.start()))
    finally:
        mock.stop()


def _report(settings: CheckSettings) -> Report:
    return next(event.report for event in check(settings) if hasattr(event, "report"))


def verdict(result: OperationResult, report: Report) -> str:
    """Why this operation's test fails, or "" when it passes."""
    lines = []
    for v in result.violations:
        lines.append(f"[{v.check}] {v.title}")
        lines.extend(f"    {line}" for line in v.message.splitlines()[:12])
        if v.curl:
            lines.append(f"    reproduce: {v.curl}")
    coverage = result.coverage
    if coverage == REFUSED:
        lines.append(f"credentials refused: answered only {result.refusals()}")
    elif coverage == NOT_EXERCISED and not report.allow_unexercised:
        lines.append("not exercised: no request was answered 2xx/3xx "
                     f"({', '.join(f'{k}×{n}' for k, n in result.status_classes().items()) or 'no answer'})")
    elif coverage not in (EXERCISED, NOT_EXERCISED) and not report.allow_unexercised:
        lines.append(f"untested: no request was sent{f' ({report.stopped})' if report.stopped else ''}")
    header = f"{result.operation_id} ({result.label}) breaks its contract:" if result.violations else ""
    return "\n".join([header, *lines] if header else lines)
