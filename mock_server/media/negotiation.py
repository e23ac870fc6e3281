"""Accept negotiation among the media types a response declares (RFC 9110 q-values and ranges).

Each declared type gets the q-value of the most specific range that matches it (`application/xml;q=0`
refuses XML even when `*/*` is also sent); the highest wins. Ties, and a request without `Accept`, go
to JSON first (what programs read), then to declaration order. Answers are memoised: a client sends
the same few `Accept` headers again and again.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .types import is_json


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first; declaration order breaks ties."""
    ranges = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality, index))
    ranges.sort(key=lambda item: (-item[1], _specificity(item[0]), item[2]))
    return [(media, quality) for media, quality, _ in ranges]


def _specificity(media_range: str) -> int:
    if media_range == "*/*":
        return 2
    if media_range.endswith("/*"):
        return 1
    return 0


def _matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", media_type):
        return True
    if media_range.endswith("/*"):
        return media_type.split("/")[0] == media_range[:-2]
    return False


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range matching `media_type`; 0 when none does."""
    matching = [(_specificity(media_range), quality) for media_range, quality in ranges if _matches(media_range, media_type)]
    return min(matching, key=lambda item: item[0])[1] if matching else 0.0


def choose_media_type(accept: str | None, declared: Sequence[str]) -> str | None:
    """The declared type the client prefers (JSON on ties and without Accept); None if none is acceptable."""
    return _choose(accept.strip() if accept else "", tuple(declared))


@functools.lru_cache(maxsize=512)
def _choose(accept: str, declared: tuple[str, ...]) -> str | None:
    if not declared:
        return None
    bare = [media_type.lower().split(";")[0].strip() for media_type in declared]
    order = sorted(range(len(declared)), key=lambda i: (not is_json(bare[i]), i))
    if not accept:
        return declared[order[0]]
    ranges = parse_accept(accept)
    best, best_quality = None, 0.0
    for index in order:
        quality = _quality(bare[index], ranges)
        if quality > best_quality:
            best, best_quality = declared[index], quality
    return best
