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

from .report import (
    NOT_EXERCISED,
    REFUSED,
    UNTESTED,
    OperationFinished,
    OperationResult,
    Report,
    RunError,
    RunFinished,
    RunStarted,
)


class ConsoleHandler:
    def __init__(self, echo: Callable[[str], None], err: Callable[[str], None] | None = None) -> None:
        self.echo = echo
        self.err = err or echo

    def handle(self, event: Any) -> None:
        if isinstance(event, RunStarted):
            verb = "would check" if event.dry_run else "checking"
            seed = f" (seed {event.seed}: --seed {event.seed} replays this run)" if event.seed is not None else ""
            self.echo(f"{verb} {len(event.results)} operations at {event.base_url}{seed}")
            if event.dry_run:
                for result in event.results:
                    self.echo(f"  {result.operation_id:<28} {result.method:<6} {result.url}")
        elif isinstance(event, OperationFinished):
            r = event.result
            mark = "FAIL" if r.violations else "ok"
            self.echo(f"  [{event.phase:<8}] {r.label:<50} {answers(r) or 'no answer':<24} {mark}")
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
        for line in coverage_lines(report):
            self.echo(line)
        self.echo(f"{report.requests} requests, {report.violations} violations in {report.duration_s:.1f}s: {report.outcome}")


def answers(result: OperationResult) -> str:
    """'2xx×3 4xx×12': the answers an operation got, by status class."""
    return " ".join(f"{cls}×{n}" for cls, n in result.status_classes().items())


def coverage_lines(report: Report) -> list[str]:
    """What was not tested, by kind, each operation named: what a green run must not hide."""
    lines = []
    refused = report.with_coverage(REFUSED)
    if refused:
        named = ", ".join(f"{r.operation_id} ({r.refusals()})" for r in refused)
        lines.append(f"credentials refused: answered only 401/403: {named}; "
                     "check --api-key, --header, --client-id/--client-secret and --scope")
    unexercised = report.with_coverage(NOT_EXERCISED)
    if unexercised:
        named = ", ".join(f"{r.operation_id} ({answers(r) or 'no answer recorded'})" for r in unexercised)
        allowed = " (allowed by --allow-unexercised)" if report.allow_unexercised else " (--allow-unexercised accepts this)"
        lines.append(f"not exercised: no request was answered 2xx/3xx: {named}{allowed}")
    if report.stopped:
        lines.append(f"stopped early: {report.stopped}")
    untested = report.with_coverage(UNTESTED)
    if untested and not report.errors:
        lines.append(f"untested: no request was sent to {', '.join(r.operation_id for r in untested)}")
    by_limit: dict[str, list[str]] = {}
    for r in report.results:
        if r.limited and r.coverage != UNTESTED:
            by_limit.setdefault(r.limited, []).append(r.operation_id)
    for limit, names in by_limit.items():
        lines.append(f"limited ({limit}): {', '.join(names)}")
    return lines


def summary_table(report: Report) -> str:
    rows = [("OPERATION", "METHOD", "PATH", "REQUESTS", "ANSWERS", "SLOWEST", "COVERAGE", "FAILURES")]
    for r in report.results:
        failures = ", ".join(f"{check}×{n}" for check, n in sorted(r.failures_by_check().items())) or "-"
        rows.append((r.operation_id, r.method, r.route, str(r.requests), answers(r) or "-", f"{r.slowest_ms:.0f} ms",
                     r.coverage, failures))
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
                      time=f"{report.duration_s:.3f}")
    suites: dict[str, ET.Element] = {}
    for r in report.results:
        suite = suites.get(r.contract)
        if suite is None:
            suite = suites[r.contract] = ET.SubElement(root, "testsuite", name=r.contract)
        case = ET.SubElement(suite, "testcase", classname=r.contract, name=f"{r.operation_id} ({r.label})")
        for v in r.violations:
            failure = ET.SubElement(case, "failure", type=v.check, message=f"{v.check}: {v.title}")
            failure.text = v.message + (f"\n\nreproduce: {v.curl}" if v.curl else "")
        coverage_verdict(case, r, report)
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    root.set("failures", str(sum(int(suite.get("failures", "0")) for suite in suites.values())))
    root.set("errors", str(len(report.errors) + sum(int(suite.get("errors", "0")) for suite in suites.values())))
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="run", tests="1", errors=str(len(report.errors)))
        case = ET.SubElement(suite, "testcase", classname="run", name="run")
        for message in report.errors:
            ET.SubElement(case, "error", message=message[:200]).text = message
    return root


def coverage_verdict(case: ET.Element, result: OperationResult, report: Report) -> None:
    """Refused credentials are an error; an operation not exercised or untested fails the test
    case, as it fails the run, unless --allow-unexercised (then it is skipped)."""
    coverage = result.coverage
    if coverage == REFUSED:
        ET.SubElement(case, "error", type="credentials_refused",
                      message=f"credentials refused: answered only {result.refusals()}")
    elif coverage in (NOT_EXERCISED, UNTESTED):
        reason = (f"not exercised: no request was answered 2xx/3xx ({answers(result)})" if coverage == NOT_EXERCISED
                  else f"untested: no request was sent{f' ({report.stopped})' if report.stopped else ''}")
        if report.allow_unexercised or report.errors:
            ET.SubElement(case, "skipped", message=reason)
        elif not result.violations:
            ET.SubElement(case, "failure", type=coverage.replace(" ", "_"), message=reason)


class JsonHandler:
    def __init__(self, path: Path) -> None:
        self.path = path

    def handle(self, event: Any) -> None:
        if isinstance(event, RunFinished):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(event.report.to_json(), indent=2), encoding="utf-8")
