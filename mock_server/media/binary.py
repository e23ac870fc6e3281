"""Raw bodies: `application/octet-stream`, `image/*`, `application/pdf`, `*/*` and every type no
other family reads. A request body is kept as its bytes (validated as a string of one character
per byte against `format: binary` / `contentMediaType`); an answer is bytes of its declared type:
a real PNG for `image/png`, a PDF for `application/pdf` (samples.py), the value's bytes otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from .samples import FOR_RANGE, sample
from .shapes import scalar_text

GENERIC = "application/octet-stream"


def concrete(media_type: str) -> str:
    """What goes in Content-Type for a declared type or range: never a wildcard on the wire."""
    if media_type == "*/*" or media_type == "application/*":
        return GENERIC
    if media_type.endswith("/*"):
        return FOR_RANGE.get(media_type, GENERIC)
    return media_type


class Codec:
    holds_bytes = True
    reads_empty = True  # an empty body with this Content-Type is b"", not no body

    def __init__(self, media_type: str, schema: Any, defs: Mapping[str, Any], encoding: Any, codecs: Any) -> None:
        self.media_type = concrete(media_type)

    def decode(self, body: bytes, content_type: str | None) -> bytes:
        return body

    def encode(self, value: Any) -> bytes:
        if value is None:
            return b""
        if isinstance(value, (dict, list)):  # a structured value under an opaque type: its JSON is its bytes
            value = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode("utf-8")
        if not isinstance(value, (str, bytes)):
            value = scalar_text(value)
        made = sample(self.media_type, value)
        if made is not None:
            return made
        return value.encode("utf-8") if isinstance(value, str) else value
