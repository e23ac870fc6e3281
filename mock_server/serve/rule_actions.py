"""The actions of a rule (what a matching request gets), each read and checked on its own.

`rules.build_rule` calls these for the rules file and for runtime rules alike; each raises
`RuleError` naming the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..behaviours.context import Fault
from ..contracts.index import Operation

FAULTS = ("reset", "hang", "truncate", "cut_stream", "malformed_json")
MAX_HANG_MS = 30_000
MAX_DELAY_MS = 60_000
OK_WORDS = ("ok", "normal", "pass")


class RuleError(ValueError):
    """A rule that cannot be used, with a message naming the problem (a 400 for runtime rules)."""


def parse_status(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise RuleError(f"'{where}' must be an HTTP status (100-599), not {value!r}")
    return value


def parse_sequence(value: Any) -> tuple[int | None, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise RuleError("'sequence' must be a non-empty list of statuses and 'ok', e.g. [503, 503, ok]")
    steps: list[int | None] = []
    for step in value:
        if isinstance(step, str) and step.lower() in OK_WORDS:
            steps.append(None)
        else:
            steps.append(parse_status(step, "sequence"))
    return tuple(steps)


def parse_times(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleError(f"'times' must be a positive number of requests, not {value!r}")
    return value


def parse_example(value: Any, operation_ids: frozenset[str] | None, by_id: Mapping[str, list[Operation]]) -> str | None:
    """A named example every matched operation declares (for some status and media type)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise RuleError("'example' must be the name of a declared example")
    if operation_ids is None:
        raise RuleError("'example' needs 'match.operationId': example names belong to an operation")
    for operation_id in sorted(operation_ids):
        for operation in by_id[operation_id]:
            names = sorted({name for names in operation.example_names().values() for name in names})
            if value not in names:
                raise RuleError(f"{operation_id} declares no example named {value!r} (it declares: {', '.join(names) or 'none'})")
    return value


def parse_reply(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RuleError("'reply' must be the text of the canned reply")
    return value


def parse_delay(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    low_high = value if isinstance(value, list) else [value, value]
    if (
        len(low_high) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in low_high)
        or not 0 <= low_high[0] <= low_high[1] <= MAX_DELAY_MS
    ):
        raise RuleError(f"'delay' must be milliseconds (0-{MAX_DELAY_MS}) or [min, max], not {value!r}")
    return int(low_high[0]), int(low_high[1])


def parse_fault(value: Any) -> Fault | None:
    """`reset`, `{truncate: 100}`, ...; raises RuleError (rules) — callers outside rules wrap it."""
    if value is None:
        return None
    if isinstance(value, str):
        kind, amount = value, None
    elif isinstance(value, Mapping) and len(value) == 1:
        kind, amount = next(iter(value.items()))
    else:
        raise RuleError(f"'fault' must be one of {', '.join(FAULTS)} or a one-key mapping such as {{truncate: 100}}")
    if kind not in FAULTS:
        raise RuleError(f"unknown fault {kind!r}; known: {', '.join(FAULTS)}")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount < 0):
        raise RuleError(f"fault {kind}: {amount!r} must be a non-negative integer")
    if kind in ("reset", "malformed_json") and amount is not None:
        raise RuleError(f"fault {kind} takes no amount")
    if kind == "hang":
        amount = MAX_HANG_MS if amount is None else amount
        if amount > MAX_HANG_MS:
            raise RuleError(f"fault hang: {amount} ms is above the bound of {MAX_HANG_MS} ms")
    if kind == "cut_stream" and amount is None:
        amount = 2
    return Fault(str(kind), amount)


def parse_pacing(value: Any) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    if not isinstance(value, Mapping) or set(value) - {"ttft", "tokens_per_second"} or not value:
        raise RuleError("'pacing' takes {ttft: MS, tokens_per_second: N}")
    result = []
    for key in ("ttft", "tokens_per_second"):
        number = value.get(key)
        if number is not None and (isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0):
            raise RuleError(f"pacing.{key} must be a non-negative number")
        result.append(None if number is None else float(number))
    return result[0], result[1]
