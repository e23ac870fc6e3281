"""Renderers of check events: console (progress, summary table, failures with curl), JUnit, JSON.

Each handler has `handle(event)`; the CLI feeds every event to every handler. Texts arriving
here are already redacted by the runner.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .report import OperationFinished, Report, RunError, RunFinished, RunStarted


class ConsoleHandler:
    def __init__(self, echo: Callable[[str], None], err: Callable[[str], None] | None = None) -> None:
        self.echo = echo
        self.err = err or echo

    def handle(self, event: Any) -> None:
        if isinstance(event, RunStarted):
            verb = "would check" if event.dry_run else "checking"
            self.echo(f"{verb} {len(event.results)} operations at {event.base_url}")
            if event.dry_run:
                for result in event.results:
                    self.echo(f"  {result.operation_id:<28} {result.method:<6} {result.url}")
        elif isinstance(event, OperationFinished):
            r = event.result
            mark = "FAIL" if r.violations else "ok"
            self.echo(f"  [{event.phase:<8}] {r.label:<50} {r.requests:>4} requests  {mark}")
        elif isinstance(event, RunError):
            self.err(f"error: {event.message}")
        elif isinstance(event, RunFinished):
            self._summary(event.report)

    def _summary(self, report: Report) -> None:
        if report.dry_run:
            self.echo("dry run: nothing was sent")
            return
        if report.results and not (report.errors and not report.requests):
            self.echo("")
            self.echo(summary_table(report))
        for result in report.results:
            for v in result.violations:
                self.echo("")
                self.echo(f"FAIL {result.operation_id} [{v.check}] {v.title}")
                for line in v.message.splitlines()[:12]:
                    self.echo(f"    {line}")
                if v.curl:
                    self.echo(f"    reproduce: {v.curl}")
        self.echo("")
        if report.stopped:
            self.echo(f"stopped early: {report.stopped}")
        outcome = {0: "clean", 1: "violations found", 2: "could not run"}[report.exit_code]
        self.echo(f"{report.requests} requests, {report.violations} violations in {report.duration_s:.1f}s: {outcome}")


def summary_table(report: Report) -> str:
    rows = [("OPERATION", "METHOD", "PATH", "REQUESTS", "SLOWEST", "FAILURES")]
    for r in report.results:
        failures = ", ".join(f"{check}×{n}" for check, n in sorted(r.failures_by_check().items())) or "-"
        rows.append((r.operation_id, r.method, r.route, str(r.requests), f"{r.slowest_ms:.0f} ms", failures))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)


class JUnitHandler:
    """One testsuite per contract, one testcase per operation, one <failure> per violation."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def handle(self, event: Any) -> None:
        if isinstance(event, RunFinished):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ET.ElementTree(junit_xml(event.report)).write(self.path, encoding="utf-8", xml_declaration=True)


def junit_xml(report: Report) -> ET.Element:
    root = ET.Element("testsuites", name="mock-server check", tests=str(len(report.results)),
                      failures=str(sum(1 for r in report.results if r.violations)),
                      errors=str(len(report.errors)), time=f"{report.duration_s:.3f}")
    suites: dict[str, ET.Element] = {}
    for r in report.results:
        suite = suites.get(r.contract)
        if suite is None:
            suite = suites[r.contract] = ET.SubElement(root, "testsuite", name=r.contract)
        case = ET.SubElement(suite, "testcase", classname=r.contract, name=f"{r.operation_id} ({r.label})")
        for v in r.violations:
            failure = ET.SubElement(case, "failure", type=v.check, message=f"{v.check}: {v.title}")
            failure.text = v.message + (f"\n\nreproduce: {v.curl}" if v.curl else "")
        if not r.checks_run and not r.violations:
            ET.SubElement(case, "skipped", message="not run")
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="run", tests="1", errors=str(len(report.errors)))
        case = ET.SubElement(suite, "testcase", classname="run", name="run")
        for message in report.errors:
            ET.SubElement(case, "error", message=message[:200]).text = message
    return root


class JsonHandler:
    def __init__(self, path: Path) -> None:
        self.path = path

    def handle(self, event: Any) -> None:
        if isinstance(event, RunFinished):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(event.report.to_json(), indent=2), encoding="utf-8")
