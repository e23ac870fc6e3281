"""One reload: build the contracts, rules and recorded examples anew, and serve them, or say why not.

The new version is built in a worker thread (the contract check runs in a child process, as at
start-up), so requests and streams go on being answered meanwhile; it is swapped in between two
requests (`MockApp.adopt`). A broken edit (invalid contract, bad YAML, a rule that no longer fits)
leaves the previous version serving: the error goes to the log and to the dashboard.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from ..app import create_app
from ..contracts import spec_check
from ..contracts.loading import discover, load_discovered
from ..errors import StartupError
from ..serve.pipeline import MockApp
from ..serve.reloads import ReloadReport
from ..settings import ServeSettings

logger = logging.getLogger("mock_server")


def build(settings: ServeSettings, serving: MockApp) -> MockApp:
    """What `serve` would build now, sharing the running app's behaviours and state."""
    found = discover(settings.contracts)
    contracts = load_discovered(found, verdicts=spec_check.in_a_child([path for path, _ in found]))
    return create_app(settings, contracts=contracts, behaviours=serving.registry, store=serving.state)


async def reload(app: MockApp, settings: ServeSettings, files: Sequence[str]) -> ReloadReport:
    started = time.perf_counter()
    try:
        rebuilt = await asyncio.to_thread(build, settings, app)
    except Exception as exc:  # any broken edit, whatever raised it, keeps the previous version serving
        message = str(exc) if isinstance(exc, StartupError) else f"{type(exc).__name__}: {exc}"
        report = ReloadReport(tuple(files), ok=False, error=message, seconds=time.perf_counter() - started)
        logger.error("reload failed (%s), still serving the previous version: %s", ", ".join(files), message)
    else:
        report = compare(app, rebuilt, settings, files, time.perf_counter() - started)
        app.adopt(rebuilt)
        logger.info("reloaded %s: %s", ", ".join(files), summary(report))
    app.reloads.add(report)
    return report


def _label(operation: object) -> str:
    return f"{operation.method} {operation.route} ({operation.operation_id})"  # type: ignore[attr-defined]


def compare(old: MockApp, new: MockApp, settings: ServeSettings, files: Sequence[str], seconds: float) -> ReloadReport:
    before = {op.key: op for contract in old.contracts for op in contract.operations}
    after = {op.key: op for contract in new.contracts for op in contract.operations}
    old_documents = {contract.name: contract.document for contract in old.contracts}
    return ReloadReport(
        tuple(files),
        ok=True,
        added=tuple(_label(after[key]) for key in after if key not in before),
        removed=tuple(_label(before[key]) for key in before if key not in after),
        changed=tuple(contract.name for contract in new.contracts
                      if contract.name in old_documents and old_documents[contract.name] != contract.document),
        rules=len(new.control.file_rules) if settings.rules is not None else None,
        examples=sum(1 for _ in settings.examples.glob("*.json")) if settings.examples is not None else None,
        seconds=seconds,
    )


def summary(report: ReloadReport) -> str:
    parts = [f"{len(report.added)} operation(s) added", f"{len(report.removed)} removed",
             f"{len(report.changed)} contract(s) changed"]
    if report.rules is not None:
        parts.append(f"{report.rules} file rule(s)")
    if report.examples is not None:
        parts.append(f"{report.examples} recorded example(s)")
    return ", ".join(parts) + f" in {report.seconds:.2f}s"
