"""What this request should get, decided in one place: the Prefer header (later: rules, chaos).

The result is a frozen `Directive`; behaviours read it, nothing else reads the Prefer header.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .contracts import Operation
from .errors import RequestInvalid

MAX_DELAY_MS = 60_000


@dataclass(frozen=True, slots=True)
class Directive:
    status: int | None = None  # a declared status to answer with instead of the normal one
    example: str | None = None  # a declared example to serve by name
    dynamic: bool = False  # a fresh seed: variety instead of determinism
    delay_ms: int = 0  # wait before answering
    reply_text: str | None = None  # a canned reply for behaviours that produce text
    ttft_ms: float | None = None  # stream pacing override: time to first token
    tokens_per_second: float | None = None  # stream pacing override

    @property
    def cache_key(self) -> tuple[object, ...]:
        return (self.status, self.example, self.reply_text)


NO_DIRECTIVE = Directive()


def parse_prefer(header: str) -> dict[str, str]:
    """`Prefer: code=429, example="x"; dynamic=true` → {'code': '429', ...} (RFC 7240, lenient)."""
    preferences: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        name, _, value = part.strip().partition("=")
        name = name.strip().lower()
        if name:
            preferences[name] = value.strip().strip('"')
    return preferences


def directive_from_prefer(header: str, operation: Operation) -> Directive:
    """Read `code`, `example`, `dynamic` and `delay`; a bad value is the client's error (400)."""
    if not header:
        return NO_DIRECTIVE
    preferences = parse_prefer(header)
    return Directive(
        status=_status(preferences.get("code"), operation),
        example=preferences.get("example") or None,
        dynamic=preferences.get("dynamic", "").lower() == "true",
        delay_ms=_delay(preferences.get("delay")),
    )


def _status(text: str | None, operation: Operation) -> int | None:
    if text is None:
        return None
    declared = ", ".join(operation.statuses)
    if not text.isdigit() or not 100 <= int(text) <= 599:
        raise RequestInvalid(f"Prefer: code={text} is not an HTTP status; this operation declares {declared}")
    status = int(text)
    if not operation.declares(status):
        raise RequestInvalid(f"Prefer: code={status} is not declared by {operation.operation_id}; it declares {declared}")
    return status


def _delay(text: str | None) -> int:
    if text is None:
        return 0
    if not text.isdigit() or int(text) > MAX_DELAY_MS:
        raise RequestInvalid(f"Prefer: delay={text} is not a number of milliseconds from 0 to {MAX_DELAY_MS}")
    return int(text)


def prefer_header(headers: Mapping[str, str]) -> str:
    return headers.get("prefer", "")
