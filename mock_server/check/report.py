"""What a check run found, and the events the runner emits while it runs.

The runner never prints: it yields events; console, JUnit and JSON handlers render them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

# What a run learnt about each operation, worst first.
UNTESTED = "untested"  # no request was sent (the run stopped first, or a limit)
REFUSED = "credentials refused"  # every valid request was answered 401/403
NOT_EXERCISED = "not exercised"  # requests were sent, none was answered 2xx/3xx
EXERCISED = "exercised"  # at least one answer was a success (2xx/3xx)
REFUSAL_STATUSES = frozenset({401, 403})


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
    requests: int = 0  # sent, as counted before sending (limits.py)
    slowest_ms: float = 0.0
    checks_run: set[str] = field(default_factory=set)
    violations: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)  # every answer, by status
    own_statuses: Counter[int] = field(default_factory=Counter)  # answers to requests of the operation's method
    valid_statuses: Counter[int] = field(default_factory=Counter)  # ... and with valid data
    limited: str = ""  # the limit that stopped this operation's requests, if one did

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"

    def answered(self, status: int, *, own_method: bool = True, valid: bool = True) -> None:
        self.statuses[status] += 1
        if own_method:
            self.own_statuses[status] += 1
            if valid:
                self.valid_statuses[status] += 1

    @property
    def judged(self) -> Counter[int]:
        """The answers that tell whether credentials were refused: to valid requests if there were
        any, else to any request of the operation's own method (not the coverage phase's probes of
        undeclared methods, which a router answers before any authentication)."""
        return self.valid_statuses or self.own_statuses or self.statuses

    @property
    def success_seen(self) -> bool:
        return any(200 <= status < 400 for status in self.statuses)

    def status_classes(self) -> dict[str, int]:
        """Answers by class: {"2xx": 3, "4xx": 12}."""
        classes: Counter[str] = Counter()
        for status, count in self.statuses.items():
            classes[f"{status // 100}xx"] += count
        return dict(sorted(classes.items()))

    @property
    def coverage(self) -> str:
        """UNTESTED, REFUSED, NOT_EXERCISED or EXERCISED (see the constants)."""
        if self.success_seen:
            return EXERCISED
        if not self.requests and not self.statuses:
            return UNTESTED
        if self.judged and set(self.judged) <= REFUSAL_STATUSES:
            return REFUSED
        return NOT_EXERCISED

    def refusals(self) -> str:
        """'401×12, 403×2': the refusals that made this operation REFUSED."""
        return ", ".join(f"{status}×{count}" for status, count in sorted(self.judged.items()))

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
        self.slowest_ms = max(self.slowest_ms, elapsed_ms)


@dataclass(slots=True)
class Report:
    base_url: str
    results: list[OperationResult]
    errors: list[str] = field(default_factory=list)  # connection or run errors: exit 2
    stopped: str = ""  # why the run stopped early (max time, max requests), if it did
    duration_s: float = 0.0
    dry_run: bool = False
    sent: int = 0  # every request sent, as counted before sending (those of no operation included)
    seed: int | None = None  # the seed of the generated requests: `--seed N` replays the run
    allow_unexercised: bool = False

    @property
    def violations(self) -> int:
        return sum(len(r.violations) for r in self.results)

    @property
    def requests(self) -> int:
        return max(self.sent, sum(r.requests for r in self.results))

    def with_coverage(self, coverage: str) -> list[OperationResult]:
        return [r for r in self.results if r.coverage == coverage]

    @property
    def exit_code(self) -> int:
        """0 clean; 1 a violation, or an operation not exercised (no success) or left untested, unless
        allowed; 2 the run could not be done (unreachable, bad credentials, every valid request refused)."""
        if self.dry_run:
            return 0
        if self.errors or self.with_coverage(REFUSED):
            return 2
        if self.violations:
            return 1
        if not self.allow_unexercised and (self.with_coverage(NOT_EXERCISED) or self.with_coverage(UNTESTED)):
            return 1
        return 0

    @property
    def outcome(self) -> str:
        """One honest phrase: "clean" only when everything was exercised and nothing stopped the run."""
        if self.dry_run:
            return "dry run"
        if self.errors:
            return "could not run"
        refused = self.with_coverage(REFUSED)
        if refused:
            return f"credentials refused for {len(refused)} operation{'s' * (len(refused) != 1)}"
        parts = []
        if self.violations:
            parts.append("violations found")
        untested, unexercised = self.with_coverage(UNTESTED), self.with_coverage(NOT_EXERCISED)
        if unexercised:
            parts.append(f"{len(unexercised)} not exercised" + (" (allowed)" if self.allow_unexercised else ""))
        if untested:
            parts.append(f"incomplete: {len(untested)} untested")
        elif self.stopped and not parts:
            parts.append("no violations before the run stopped")
        return "; ".join(parts) or "clean"

    def to_json(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "exit_code": self.exit_code,
            "outcome": self.outcome,
            "seed": self.seed,
            "dry_run": self.dry_run,
            "duration_s": round(self.duration_s, 3),
            "requests": self.requests,
            "violations": self.violations,
            "stopped": self.stopped,
            "errors": self.errors,
            "coverage": {kind: [r.operation_id for r in self.with_coverage(kind)]
                         for kind in (EXERCISED, NOT_EXERCISED, REFUSED, UNTESTED)},
            "operations": [result_json(result) for result in self.results],
        }


def result_json(result: OperationResult) -> dict[str, Any]:
    """One operation in the JSON report; numbers rounded as a person would read them."""
    skip = ("checks_run", "violations", "statuses", "own_statuses", "valid_statuses", "slowest_ms")
    return {
        **{k: v for k, v in asdict(result).items() if k not in skip},
        "slowest_ms": round(result.slowest_ms, 1),
        "coverage": result.coverage,
        "success_seen": result.success_seen,
        "status_classes": result.status_classes(),
        "statuses": {str(status): count for status, count in sorted(result.statuses.items())},
        "checks_run": sorted(result.checks_run),
        "failures_by_check": result.failures_by_check(),
        "violations": [asdict(v) for v in result.violations],
    }


# Events, in the order a run emits them.


@dataclass(slots=True)
class RunStarted:
    base_url: str
    results: list[OperationResult]  # the plan: one (still empty) result per operation
    dry_run: bool
    seed: int | None = None


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
