"""Accept negotiation among the media types a response declares (RFC 9110 q-values and ranges)."""

from __future__ import annotations

from collections.abc import Sequence


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
    media_type = media_type.lower().split(";")[0].strip()
    if media_range in ("*/*", media_type):
        return True
    if media_range.endswith("/*"):
        return media_type.split("/")[0] == media_range[:-2]
    return False


def choose_media_type(accept: str | None, declared: Sequence[str]) -> str | None:
    """The declared type the client prefers; the first declared when Accept is absent; None if none fits."""
    if not declared:
        return None
    if not accept or not accept.strip():
        return declared[0]
    for media_range, quality in parse_accept(accept):
        if quality <= 0:
            continue
        for media_type in declared:
            if _matches(media_range, media_type):
                return media_type
    return None
