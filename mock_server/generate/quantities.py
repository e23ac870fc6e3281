"""Numbers in the window their name suggests (`quantity` 1-20, `rating` 1-5 with one decimal, ids
from 1, prices with two decimals), decided at compile time; `scalars.py` cuts the window to the
schema's own bounds, which always win."""

from __future__ import annotations

from dataclasses import dataclass

from .entities import words_of
from .names import ID_SUFFIX, normalize


@dataclass(frozen=True, slots=True)
class NumberHint:
    """A realistic window for a number field (`quantity` 1–20, `rating` 1–5), kept inside the schema's bounds."""

    low: float
    high: float
    decimals: int = 0


PRICE = NumberHint(1, 500, 2)
COUNT = NumberHint(0, 100)
NUMBER_HINTS: dict[str, NumberHint] = {
    "quantity": NumberHint(1, 20), "qty": NumberHint(1, 20), "count": NumberHint(0, 100),
    "stock": NumberHint(0, 500), "inventory": NumberHint(0, 500), "age": NumberHint(1, 90),
    "rating": NumberHint(1, 5, 1), "stars": NumberHint(1, 5), "score": NumberHint(0, 100, 1),
    "percent": NumberHint(0, 100, 1), "percentage": NumberHint(0, 100, 1), "discount": NumberHint(0, 50),
    "year": NumberHint(1990, 2025), "latitude": NumberHint(-90, 90, 6), "lat": NumberHint(-90, 90, 6),
    "longitude": NumberHint(-180, 180, 6), "lng": NumberHint(-180, 180, 6), "lon": NumberHint(-180, 180, 6),
    "width": NumberHint(100, 1920), "height": NumberHint(100, 1080), "page": NumberHint(1, 10),
    "pagesize": NumberHint(10, 50), "perpage": NumberHint(10, 50), "limit": NumberHint(10, 50),
    "offset": NumberHint(0, 100), "priority": NumberHint(1, 5), "level": NumberHint(1, 10),
    "version": NumberHint(1, 10), "port": NumberHint(1024, 65535), "duration": NumberHint(1, 3600),
    "expiresin": NumberHint(300, 86400), "ttl": NumberHint(60, 86400), "timeout": NumberHint(1, 120),
    "retryafter": NumberHint(1, 120), "size": NumberHint(1, 100), "filesize": NumberHint(1024, 10_000_000),
    "bytes": NumberHint(1024, 10_000_000), "status": NumberHint(0, 5), "statuscode": NumberHint(200, 299),
    "httpstatus": NumberHint(200, 299), "weight": NumberHint(1, 50, 2), "temperature": NumberHint(-10, 35, 1),
}
PRICE_NAMES = frozenset({"price", "amount", "cost", "total", "subtotal", "balance", "fee", "unitprice", "tax"})
ID_HINT = NumberHint(1, 9999)


def number_hint(name: str | None, integer: bool = False) -> NumberHint | None:
    """The window a number called `name` usually lives in, or None to keep the schema's own. An
    integer `total` is a count of items, a decimal one a sum of money."""
    if not name:
        return None
    key = normalize(name)
    if key == "total" and integer:
        return COUNT
    if key in PRICE_NAMES or key.endswith(("price", "amount", "cost", "total")):
        return PRICE
    found = NUMBER_HINTS.get(key)
    if found is not None:
        return found
    if key == "id" or ID_SUFFIX.search(name):
        return ID_HINT
    words = words_of(name)
    last = words[-1] if words else ""
    if last in ("count", "total", "number", "num") or key.startswith(("num", "numberof", "total")):
        return COUNT
    return NUMBER_HINTS.get(last)
