"""Dates that read right for their field: `createdAt` in the past, `expiresAt` ahead, a birth date decades ago.

Every date is drawn around `source.now`: the fixed clock (`FIXED_NOW`) unless `--clock real`, so
the same request gives the same dates on any day, and a real clock gives dates around today.
Which way a field points is decided once, from its name, when the schema is compiled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .entities import words_of
from .merge import canon
from .schema_facts import is_meaningful
from .source import Source

DateFn = Callable[[Source], str]
DAY = 86_400
YEAR = 365 * DAY
# (earliest, latest) offsets from now, in seconds
WINDOWS: dict[str, tuple[int, int]] = {
    "past": (-2 * YEAR, -60),
    "future": (DAY, YEAR),
    "near": (-60 * DAY, 60 * DAY),
    "birth": (-80 * YEAR, -18 * YEAR),  # a person's
    "young": (-15 * YEAR, -30 * DAY),  # a pet's (or anything else's) birth
}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
FORMATS = {"date-time": "%Y-%m-%dT%H:%M:%SZ", "date": "%Y-%m-%d", "time": "%H:%M:%SZ"}
FUTURE = frozenset({
    "expires", "expire", "expiry", "expiration", "expiring", "due", "until", "deadline", "renew", "renews",
    "renewal", "next", "scheduled", "sunset", "end", "ends", "eta", "arrival", "reset", "retry", "upcoming",
})
BIRTH = frozenset({"birth", "birthday", "birthdate", "dob", "born"})
NEAR = frozenset({"start", "starts", "ship", "delivery", "departure", "appointment", "event", "checkin", "checkout"})
def date_kind(name: str | None) -> str:
    """'past' (the default: most dates an API reports already happened), 'future', 'near' or 'birth'."""
    if not name:
        return "past"
    words = words_of(name)
    if any(w in BIRTH for w in words):
        return "birth"
    if any(w in FUTURE for w in words) or words[-2:] in (["valid", "to"], ["valid", "through"]):
        return "future"
    if any(w in NEAR for w in words):
        return "near"
    return "past"


def moment(source: Source, kind: str) -> dt.datetime:
    low, high = WINDOWS[kind]
    return EPOCH + dt.timedelta(seconds=source.now + source.rng.randint(low, high))


def maker(kind: str, fmt: str) -> DateFn:
    """A generator of `fmt` ('date-time', 'date' or 'time') strings in the `kind` window."""
    pattern = FORMATS[fmt]
    return lambda source: moment(source, kind).strftime(pattern)


def for_field(name: str | None, fmt: str, person: bool = True) -> DateFn:
    """`person`: whether a birth date is a person's (18 to 80 years back) or a pet's (under 15)."""
    kind = date_kind(name)
    return maker("young" if kind == "birth" and not person else kind, fmt)


def ordered_pairs(properties: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(earlier, later) pairs of same-shaped date fields of one object, so `updatedAt` never precedes
    `createdAt`: the object's node swaps them when drawn the wrong way round."""
    created = [p for p in properties if "created" in p.lower() or "creation" in p.lower()]
    later = [p for p in properties if any(w in p.lower() for w in ("updated", "modified", "changed"))]
    return tuple((a, b) for a in created for b in later if _swappable(properties[a], properties[b]))


def _swappable(one: Any, other: Any) -> bool:
    """Whether a string drawn for either field fits the other: the same assertions once annotations
    (their descriptions, `readOnly`) and a `null` alternative (`updatedAt` nullable until the first
    update) are set aside. Only two strings are ever swapped."""
    return _assertions(one) == _assertions(other)


def _assertions(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return canon(schema)
    kept = {k: v for k, v in schema.items() if is_meaningful(k)}
    types = kept.get("type")
    if isinstance(types, list) and "null" in types:
        rest = [t for t in types if t != "null"]
        kept["type"] = rest[0] if len(rest) == 1 else rest
    return canon(kept)
