"""Media type names: parse a Content-Type, tell JSON apart, match a declared media range."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def media_type_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def match_media_type(media_type: str, declared: Mapping[str, T]) -> T | None:
    """The declared media type that accepts `media_type`, honouring `type/*` and `*/*` ranges."""
    lowered = {key.lower(): value for key, value in declared.items()}
    if media_type in lowered:
        return lowered[media_type]
    major = media_type.split("/", 1)[0]
    return lowered.get(f"{major}/*") or lowered.get("*/*")
