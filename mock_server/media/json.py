"""JSON and every `+json` type (`application/vnd.api+json`, `application/merge-patch+json`,
`application/problem+json`, ...): orjson both ways, keys sorted so the same value gives the same bytes.

This is the hot path of most requests: decoding is one `orjson.loads` on the body as received.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import orjson

from ..errors import RequestInvalid, UnsupportedMediaType
from .types import content_type_params

OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def encode(value: Any) -> bytes:
    return orjson.dumps(value, option=OPTIONS)


encode_fast = functools.partial(orjson.dumps, option=OPTIONS)  # the same, without a Python frame


class Codec:
    holds_bytes = False
    reads_empty = False

    def __init__(self, media_type: str, schema: Any, defs: Mapping[str, Any], encoding: Any, codecs: Any) -> None:
        self.media_type = media_type

    def decode(self, body: bytes, content_type: str | None) -> Any:
        if content_type is not None and "charset" in content_type:
            body = _as_utf8(body, content_type)
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise RequestInvalid(f"the request body is not valid JSON: {exc}") from None

    def encode(self, value: Any) -> bytes:
        return orjson.dumps(value, option=OPTIONS)


def _as_utf8(body: bytes, content_type: str) -> bytes:
    """JSON sent in another charset (RFC 8259 wants UTF-8, some clients send UTF-16), re-encoded."""
    charset = content_type_params(content_type).get("charset", "utf-8").lower()
    if charset in ("utf-8", "utf8", "us-ascii", "ascii"):
        return body
    try:
        return body.decode(charset).encode("utf-8")
    except LookupError:
        raise UnsupportedMediaType(f"charset {charset!r} is not supported; send UTF-8") from None
    except UnicodeDecodeError:
        raise RequestInvalid(f"the request body is not valid {charset}") from None
