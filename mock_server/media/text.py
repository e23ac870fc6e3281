"""`text/plain` and the other `text/*` types (not XML, not event streams): a string in its charset.

A schema that wants a number or a boolean gets one (`text/plain` carrying `42`); anything else stays
a string for the validator. Answers: strings as they are; a number or boolean in JSON's spelling;
a list or an object (a text type with a structured schema, which no format fits) as JSON text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from ..errors import RequestInvalid, UnsupportedMediaType
from .shapes import coerce, kinds, scalar_text
from .types import content_type_params


def decode_text(body: bytes, content_type: str | None, what: str = "text body") -> str:
    """Bytes in the Content-Type's charset (UTF-8 when not given) as a string; a 4xx when they are not."""
    charset = content_type_params(content_type).get("charset", "utf-8") if content_type else "utf-8"
    try:
        return body.decode(charset)
    except LookupError:
        raise UnsupportedMediaType(f"charset {charset!r} is not supported; send UTF-8") from None
    except UnicodeDecodeError as exc:
        raise RequestInvalid(f"the {what} is not valid {charset}: byte {exc.start}") from None


class Codec:
    holds_bytes = False
    reads_empty = True  # an empty body with this Content-Type is "", not no body

    def __init__(self, media_type: str, schema: Any, defs: Mapping[str, Any], encoding: Any, codecs: Any) -> None:
        self.media_type = "text/plain" if media_type == "text/*" else media_type
        self.schema, self.defs = schema, defs
        self.scalar = bool(set(kinds(schema, defs)) & {"integer", "number", "boolean", "null"}) if schema else False

    def decode(self, body: bytes, content_type: str | None) -> Any:
        text = decode_text(body, content_type)
        return coerce(text, self.schema, self.defs) if self.scalar else text

    def encode(self, value: Any) -> bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, (dict, list)):
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        return scalar_text(value).encode("utf-8")
