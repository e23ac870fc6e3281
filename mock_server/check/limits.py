"""Live-safety limits of a check run, counted where requests leave, before they leave.

Limits: `--max-requests` and `--max-time` for the run, `--max-requests-per-operation` for each
operation, `--max-examples` for each operation in each phase (examples, coverage, fuzzing, stream),
and `--rate-limit` pacing.

Why at the wire: schemathesis sends requests from several places — the generated cases of each
phase, the requests its checks send on their own (ignored_auth's probes without credentials, the
control request of a content-type probe), its probing phase, a resend on a dropped connection.
A limit that counted only generated cases would let those through, and against a live, paid
endpoint every request is a bill. So, for the duration of a run, `requests.Session.send` (the one
place all of them pass) asks the run's `Limits` first, for requests to the checked origin only;
the stream check asks before each of its own (httpx) requests. A request the limits refuse is
never sent: `LimitReached` is raised instead.

Attribution: the runner says which operation and phase a case belongs to just before schemathesis
sends it (`Limits.enter`, from a `before_call` hook, in the sending thread); requests a check sends
for that case are counted to the same operation and phase.

Sharing: an operation's `--max-requests-per-operation` is shared fairly among the phases still to
come (examples, coverage, fuzzing, then the stream check), so a small cap is not spent entirely by
the coverage phase's probes of undeclared methods before fuzzing sends a single valid request.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from .settings import CheckSettings

PHASES = ("examples", "coverage", "fuzzing", "stream")  # the order a check runs them, per operation


class LimitReached(Exception):
    """A limit forbids this request; it was not sent. `run_wide`: nothing more may be sent at all."""

    def __init__(self, reason: str, *, run_wide: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.run_wide = run_wide


class Limits:
    """Counts requests per run, per operation and per (operation, phase); paces them by --rate-limit."""

    def __init__(self, settings: CheckSettings) -> None:
        self.max_requests = settings.max_requests
        self.per_operation = settings.max_requests_per_operation
        self.per_phase = settings.max_examples
        self.deadline = time.monotonic() + settings.max_time if settings.max_time else None
        self.interval = _interval(settings.rate_limit)
        self.sent = 0
        self.by_operation: Counter[str] = Counter()
        self.by_phase: Counter[tuple[str, str]] = Counter()
        self.stopped = ""  # why the whole run stopped early, if it did
        self.capped: dict[str, str] = {}  # operation key → the limit that stopped it
        self.phases: dict[str, tuple[str, ...]] = {}  # operation key → the phases it will go through
        self._allowance: dict[tuple[str, str], int] = {}  # (operation, phase) → its share of the operation's cap
        self._last = 0.0
        self._lock = threading.Lock()
        self._current = threading.local()

    def enter(self, operation: str | None, phase: str) -> None:
        """The requests this thread sends next belong to `operation` in `phase`."""
        self._current.where = (operation, phase)

    def refusal(self, operation: str | None, phase: str) -> LimitReached | None:
        """Why one more request of `operation` in `phase` may not be sent now; None when it may."""
        if self.stopped:
            return LimitReached(self.stopped, run_wide=True)
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return LimitReached("--max-time reached", run_wide=True)
        if self.max_requests is not None and self.sent >= self.max_requests:
            return LimitReached(f"--max-requests {self.max_requests} reached", run_wide=True)
        if operation is None:
            return None
        if self.per_operation is not None:
            if self.by_operation[operation] >= self.per_operation:
                return LimitReached(f"--max-requests-per-operation {self.per_operation} reached", run_wide=False)
            if self.by_phase[(operation, phase)] >= self._share(operation, phase):
                return LimitReached(f"--max-requests-per-operation {self.per_operation}: the {phase} phase's share "
                                    "is spent", run_wide=False)
        if self.by_phase[(operation, phase)] >= self.per_phase:
            return LimitReached(f"--max-examples {self.per_phase} reached in the {phase} phase", run_wide=False)
        return None

    def _share(self, operation: str, phase: str) -> int:
        """This phase's part of what the operation may still send, fixed when the phase starts:
        what is left, divided among this phase and those still to come."""
        key = (operation, phase)
        if key not in self._allowance:
            assert self.per_operation is not None
            order = self.phases.get(operation, PHASES)
            later = order[order.index(phase):] if phase in order else (phase,)
            left = self.per_operation - self.by_operation[operation]
            self._allowance[key] = math.ceil(left / len(later))
        return self._allowance[key]

    def take(self, operation: str | None = None, phase: str | None = None) -> None:
        """Count one request about to be sent, or raise `LimitReached` (and send nothing).
        Without arguments: the operation and phase this thread last entered."""
        if operation is None and phase is None:
            operation, phase = getattr(self._current, "where", (None, ""))
        phase = phase or ""
        with self._lock:
            refused = self.refusal(operation, phase)
            if refused is not None:
                if refused.run_wide:
                    self.stopped = self.stopped or refused.reason
                elif operation is not None:
                    self.capped.setdefault(operation, refused.reason)
                raise refused
            self.sent += 1
            if operation is not None:
                self.by_operation[operation] += 1
                self.by_phase[(operation, phase)] += 1
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    @contextmanager
    def guarding(self, base_url: str) -> Iterator[None]:
        """While open, every `requests` send to `base_url`'s origin is counted here first."""
        origin = _origin(base_url)
        with _GATES_LOCK:
            if not _GATES:
                _install()
            _GATES.append((origin, self))
        try:
            yield
        finally:
            with _GATES_LOCK:
                _GATES.remove((origin, self))
                if not _GATES:
                    _uninstall()


def _interval(rate: str | None) -> float:
    if not rate:
        return 0.0
    count, _, unit = rate.partition("/")
    return {"s": 1.0, "m": 60.0, "h": 3600.0}[unit] / float(count)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


# The gate on requests.Session.send: installed while at least one run is guarding an origin.
_GATES: list[tuple[tuple[str, str], Limits]] = []
_GATES_LOCK = threading.Lock()
_ORIGINAL_SEND: list[Any] = []


def _install() -> None:
    import requests

    original = requests.Session.send
    _ORIGINAL_SEND.append(original)

    def send(session: Any, request: Any, **kwargs: Any) -> Any:
        origin = _origin(str(request.url))
        for gated, limits in tuple(_GATES):
            if gated == origin:
                limits.take()
                break
        return original(session, request, **kwargs)

    requests.Session.send = send  # type: ignore[method-assign]


def _uninstall() -> None:
    import requests

    requests.Session.send = _ORIGINAL_SEND.pop()  # type: ignore[method-assign]
