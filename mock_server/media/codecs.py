"""The media codecs, found by media type: one module per family, each decoding a request body into
the schema's shape and encoding an answer's value into bytes of its declared type.

    codec = codec_for(BodyShape("application/xml", schema, defs))   # once, at start-up
    value = codec.decode(body, content_type)                         # per request; RequestInvalid if broken
    data = codec.encode(value)                                       # per answer

A new media family is one module with a `Codec` class, plus one line in `FAMILIES`. Validation,
rendering and generation only ever call `codec_for`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..contracts.index import Encoding
from ..contracts.schema import Schema
from . import binary, form, json, multipart, text, xml
from .shapes import is_binary, kinds
from .types import is_json, is_xml, media_type_of


@dataclass(frozen=True, slots=True)
class BodyShape:
    """What a codec may know about a body: its declared media type, schema (with the contract's
    `$defs`) and, for form and multipart bodies, the Encoding Object of each property."""

    media_type: str
    schema: Schema | None = None
    defs: Mapping[str, Schema] = field(default_factory=dict)
    encoding: Mapping[str, Encoding] = field(default_factory=dict)


class BodyCodec(Protocol):
    media_type: str
    holds_bytes: bool  # decoded values may hold `bytes` (files): validated through `validatable`
    reads_empty: bool  # an empty body sent with this Content-Type is a value ("" for text), not no body

    def decode(self, body: bytes, content_type: str | None) -> Any: ...

    def encode(self, value: Any) -> bytes: ...


def _is_form(media_type: str) -> bool:
    return media_type == "application/x-www-form-urlencoded"


def _is_multipart(media_type: str) -> bool:
    return media_type.startswith("multipart/")


def _is_text(media_type: str) -> bool:
    return media_type.startswith("text/") and media_type != "text/event-stream"


def _anything(media_type: str) -> bool:
    return True


# First match wins: (family name, media types it reads, its codec class). Binary takes the rest.
FAMILIES: tuple[tuple[str, Callable[[str], bool], Callable[..., Any]], ...] = (
    ("json", is_json, json.Codec),
    ("form", _is_form, form.Codec),
    ("multipart", _is_multipart, multipart.Codec),
    ("xml", is_xml, xml.Codec),
    ("text", _is_text, text.Codec),
    ("binary", _anything, binary.Codec),
)


def family_of(media_type: str) -> str:
    bare = media_type_of(media_type) or ""
    return next(name for name, matches, _ in FAMILIES if matches(bare))


def codec_for(shape: BodyShape) -> BodyCodec:
    """The codec of `shape`'s family, compiled for its schema."""
    bare = _concrete(media_type_of(shape.media_type) or "application/octet-stream", shape)
    make = next(codec for _, matches, codec in FAMILIES if matches(bare))

    def part_codec(media_type: str, schema: Schema | None) -> BodyCodec:  # a form field's or a part's own type
        return codec_for(BodyShape(media_type, schema, shape.defs))

    codec: BodyCodec = make(bare, shape.schema, shape.defs, shape.encoding, part_codec)
    return codec


def _concrete(media_type: str, shape: BodyShape) -> str:
    """A declared range read as the type its schema describes: `*/*` with an object schema is JSON,
    with a plain string text; a file (or no schema) stays binary."""
    if media_type not in ("*/*", "application/*", "text/*") or shape.schema is None or is_binary(shape.schema, shape.defs):
        return media_type
    allowed = kinds(shape.schema, shape.defs)
    if media_type == "text/*" or (allowed and set(allowed) <= {"string"}):
        return "text/plain" if media_type != "application/*" else media_type
    return "application/json" if allowed else media_type


SCHEMALESS_ENCODERS: dict[str, Callable[[Any], bytes]] = {}


def schemaless_encoder(media_type: str) -> Callable[[Any], bytes]:
    """How a value is written in `media_type` without a schema to guide it (answers a behaviour
    builds itself, such as the AI operations' JSON): the media type's codec, compiled once per media
    type; JSON straight to orjson, the hot path of those answers."""
    encoder = SCHEMALESS_ENCODERS.get(media_type)
    if encoder is None:
        codec = codec_for(BodyShape(media_type))
        encoder = json.encode_fast if isinstance(codec, json.Codec) else codec.encode
        if len(SCHEMALESS_ENCODERS) < 256:  # media types come from behaviours' code: a handful
            SCHEMALESS_ENCODERS[media_type] = encoder
    return encoder


def encode_any(value: Any, media_type: str | None) -> bytes:
    """A value in `media_type` (None: JSON, or nothing for None) without a schema to guide it."""
    if media_type is None:
        return b"" if value is None else json.encode(value)
    return schemaless_encoder(media_type)(value)


def validatable(value: Any, depth: int = 0) -> Any:
    """`value` as a JSON Schema validator can read it: bytes (a file, a raw body) become a string of
    one character per byte, so `maxLength` counts bytes and `type: string` holds. Files sit at most
    two levels down (a part, an item of a part's array); deeper values came from JSON and hold none."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if depth >= 2:
        return value
    if isinstance(value, dict):
        return {key: validatable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [validatable(item, depth + 1) for item in value]
    return value
