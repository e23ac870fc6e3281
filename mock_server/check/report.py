"""What a check run found, and the events the runner emits while it runs.

The runner never prints: it yields events; console, JUnit and JSON handlers render them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Violation:
    """One broken promise: which check, what it saw, and a curl line to see it again (redacted)."""

    check: str
    title: str
    message: str
    curl: str = ""
    status: int | None = None


@dataclass(slots=True)
class OperationResult:
    contract: str
    operation_id: str
    method: str
    route: str
    url: str
    requests: int = 0
    slowest_ms: float = 0.0
    checks_run: set[str] = field(default_factory=set)
    violations: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"

    def failures_by_check(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for violation in self.violations:
            counts[violation.check] = counts.get(violation.check, 0) + 1
        return counts

    def add(self, violation: Violation) -> None:
        """Keep one violation per (check, title): fuzzing finds the same defect with many values."""
        key = (violation.check, violation.title)
        if all((v.check, v.title) != key for v in self.violations):
            self.violations.append(violation)

    def observe(self, elapsed_ms: float) -> None:
        self.requests += 1
        self.slowest_ms = max(self.slowest_ms, elapsed_ms)


@dataclass(slots=True)
class Report:
    base_url: str
    results: list[OperationResult]
    errors: list[str] = field(default_factory=list)  # connection or run errors: exit 2
    stopped: str = ""  # why the run stopped early (max time, max requests), if it did
    duration_s: float = 0.0
    dry_run: bool = False
    sent: int = 0  # requests counted by the budget, including those of scenarios cut short

    @property
    def violations(self) -> int:
        return sum(len(r.violations) for r in self.results)

    @property
    def requests(self) -> int:
        return max(self.sent, sum(r.requests for r in self.results))

    @property
    def exit_code(self) -> int:
        """0 clean, 1 any violation, 2 the run could not be done (unreachable, bad credentials)."""
        if self.errors:
            return 2
        return 1 if self.violations else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "exit_code": self.exit_code,
            "dry_run": self.dry_run,
            "duration_s": round(self.duration_s, 3),
            "requests": self.requests,
            "violations": self.violations,
            "stopped": self.stopped,
            "errors": self.errors,
            "operations": [
                {
                    **{k: v for k, v in asdict(result).items() if k not in ("checks_run", "violations")},
                    "checks_run": sorted(result.checks_run),
                    "failures_by_check": result.failures_by_check(),
                    "violations": [asdict(v) for v in result.violations],
                }
                for result in self.results
            ],
        }


# Events, in the order a run emits them.


@dataclass(slots=True)
class RunStarted:
    base_url: str
    results: list[OperationResult]  # the plan: one (still empty) result per operation
    dry_run: bool


@dataclass(slots=True)
class OperationFinished:
    """One phase of checks for one operation is done (it may be reported more than once)."""

    result: OperationResult
    phase: str


@dataclass(slots=True)
class RunError:
    message: str


@dataclass(slots=True)
class RunFinished:
    report: Report


Event = RunStarted | OperationFinished | RunError | RunFinished
