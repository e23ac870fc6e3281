"""Media type names: parse a Content-Type, tell the families apart, match a declared media range."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from python_multipart.multipart import parse_options_header

T = TypeVar("T")


def media_type_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def content_type_params(content_type: str | None) -> dict[str, str]:
    """The parameters of a Content-Type (`charset`, `boundary`), names in lower case, quotes removed."""
    if not content_type or ";" not in content_type:
        return {}
    _, params = parse_options_header(content_type)
    return {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in params.items()}


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith(("+json", "/json"))


def is_xml(media_type: str) -> bool:
    return media_type in ("application/xml", "text/xml") or media_type.endswith("+xml")


def match_media_type(media_type: str, declared: Mapping[str, T]) -> T | None:
    """The declared media type that accepts `media_type`, honouring `type/*` and `*/*` ranges.
    `declared`'s keys are expected in lower case."""
    found = declared.get(media_type)
    if found is not None:
        return found
    major = media_type.split("/", 1)[0]
    return declared.get(f"{major}/*") or declared.get("*/*")
