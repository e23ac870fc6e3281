"""Dates that read right for their field: `createdAt` in the past, `expiresAt` ahead, a birth date decades ago.

Every date is drawn around `source.now`: the fixed clock (`FIXED_NOW`) unless `--clock real`, so
the same request gives the same dates on any day, and a real clock gives dates around today.
Which way a field points is decided once, from its name, when the schema is compiled.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .source import Source

DateFn = Callable[[Source], str]
DAY = 86_400
YEAR = 365 * DAY
# (earliest, latest) offsets from now, in seconds
WINDOWS: dict[str, tuple[int, int]] = {
    "past": (-2 * YEAR, -60),
    "future": (DAY, YEAR),
    "near": (-60 * DAY, 60 * DAY),
    "birth": (-80 * YEAR, -18 * YEAR),
}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
FORMATS = {"date-time": "%Y-%m-%dT%H:%M:%SZ", "date": "%Y-%m-%d", "time": "%H:%M:%SZ"}
FUTURE = frozenset({
    "expires", "expire", "expiry", "expiration", "expiring", "due", "until", "deadline", "renew", "renews",
    "renewal", "next", "scheduled", "sunset", "end", "ends", "eta", "arrival", "reset", "retry", "upcoming",
})
BIRTH = frozenset({"birth", "birthday", "birthdate", "dob", "born"})
NEAR = frozenset({"start", "starts", "ship", "delivery", "departure", "appointment", "event", "checkin", "checkout"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def words_of(name: str) -> list[str]:
    """`validUntil` → ['valid', 'until']; `x-expires-after` → ['x', 'expires', 'after']."""
    return [w.lower() for w in _WORD.findall(name)]


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


def for_field(name: str | None, fmt: str) -> DateFn:
    return maker(date_kind(name), fmt)
