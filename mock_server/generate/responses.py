"""What each declared response looks like, compiled once per response, the first time it is used.

For every declared status and media type: the examples that conform to the schema, a generator
for the body, a validator, and generators for the declared headers. Behaviours ask this for bodies
and headers; they never read schemas themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from ..contracts.index import MediaContent, Operation, ResponseSpec
from ..contracts.schema import Schema
from ..contracts.validators import compile_validator
from ..errors import NotAcceptable
from ..media.codecs import BodyCodec, BodyShape, codec_for, family_of
from ..media.negotiation import choose_media_type
from ..media.sse import event_problems
from .examples import is_missing, pick_example, usable_examples
from .headers import CompiledHeader, Exchange, HeaderSet, compile_header, header_text
from .lazy import CompiledOnUse
from .source import Source
from .success import error_branch_test, is_success
from .values import Generator, compile_schema

__all__ = ["CompiledHeader", "CompiledMedia", "CompiledResponse", "Exchange", "OperationResponses", "header_text"]


@dataclass(frozen=True, slots=True)
class CompiledMedia:
    media_type: str
    schema: Schema | None
    generator: Generator | None
    validator: jsonschema_rs.Validator | None
    examples: Mapping[str, Any]
    extensions: Mapping[str, Any]
    event_generator: Generator | None = None  # the JSON `data` of one event, for event streams
    terminator: str | None = None
    streams: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # recorded, by name: each event's `data`
    codec: BodyCodec | None = None  # writes a body of this media type and schema (None: event streams)

    @property
    def wire_type(self) -> str:
        """The Content-Type sent: never a range (`image/*` → `image/png`), a multipart one with its boundary."""
        return self.codec.media_type if self.codec is not None else self.media_type

    @property
    def is_event_stream(self) -> bool:
        return self.media_type.lower().startswith("text/event-stream")

    def body(self, source: Source, example: str | None = None, *, use_examples: bool = True) -> Any:
        """A declared example (the named one, else the first), else a generated value."""
        if use_examples or example is not None:
            chosen = pick_example(dict(self.examples), example)
            if not is_missing(chosen):
                return chosen
        if self.generator is None:
            return None
        return self.generator(source)

    def is_valid(self, value: Any) -> bool:
        return self.validator is None or self.validator.is_valid(value)


@dataclass(frozen=True, slots=True)
class CompiledResponse:
    status: str
    spec: ResponseSpec
    media: Mapping[str, CompiledMedia]
    headers: HeaderSet
    media_types: tuple[str, ...] = ()

    def negotiate(self, accept: str | None) -> CompiledMedia | None:
        """The declared media type Accept prefers (JSON without Accept); 406 when none is acceptable."""
        if not self.media:
            return None
        chosen = choose_media_type(accept, self.media_types)
        if chosen is None:
            raise NotAcceptable(f"none of the declared media types ({', '.join(self.media)}) is acceptable to Accept: {accept}")
        return self.media[chosen]

    def header_values(self, source: Source, exchange: Exchange | None = None) -> list[tuple[str, str]]:
        """The declared headers: `exchange` (path, host, body) lets `Location` name what was created."""
        return self.headers.values(source, exchange)


class OperationResponses:
    """Every declared response of one operation, ready to produce bodies and headers."""

    def __init__(self, operation: Operation, *, optional: str = "all") -> None:
        self.operation = operation
        defs = operation.response_defs
        is_error = error_branch_test(operation)
        self.responses: CompiledOnUse[str, ResponseSpec, CompiledResponse] = CompiledOnUse(
            operation.responses,
            lambda spec: _compile_response(spec, defs, optional, is_error if is_success(spec.status) else None),
        )  # each compiled when first answered

    def for_status(self, status: int) -> CompiledResponse | None:
        text = str(status)
        return self.responses.get(text) or self.responses.get(f"{text[0]}XX") or self.responses.get("default")

    def success_status(self) -> int:
        """The status of a normal answer: the lowest declared 2xx, else 3xx, else 200 via default."""
        for prefix in "23":
            codes = sorted(int(s) for s in self.responses if s.isdigit() and s.startswith(prefix))
            if codes:
                return codes[0]
            if f"{prefix}XX" in self.responses:
                return int(prefix) * 100
        if "default" in self.responses:
            return 200
        return min((int(s) for s in self.responses if s.isdigit()), default=200)


def _usable_streams(content: MediaContent, defs: Mapping[str, Schema]) -> dict[str, tuple[str, ...]]:
    """Recorded streams that keep the contract's event schema and terminator: as with examples, a
    recording that breaks the contract (an upstream's defect) is never replayed."""
    if not content.recorded_streams:
        return {}
    validator = compile_validator(content.event_schema, defs) if content.event_schema is not None else None
    return {name: datas for name, datas in content.recorded_streams
            if not event_problems(datas, validator, content.terminator)}


# What a body without a schema is made of, by media family: text for text, a file for files.
SCHEMALESS = {"text": {"type": "string"}, "binary": {"type": "string", "format": "binary"}}


def _compile_response(
    spec: ResponseSpec, defs: Mapping[str, Schema], optional: str, avoid: Callable[[Schema], bool] | None = None,
) -> CompiledResponse:
    """`avoid`: for a success answer, the union branches its body leaves out (error shapes, `success.py`)."""
    media = {}
    for media_type, content in spec.content.items():
        validator = compile_validator(content.schema, defs) if content.schema is not None else None
        examples = usable_examples(content, validator.is_valid if validator else None)
        family = family_of(media_type)
        schema = content.schema if content.schema is not None else SCHEMALESS.get(family)
        generator = compile_schema(schema, defs, optional=optional, avoid=avoid) if schema is not None else None
        event_generator = (
            compile_schema(content.event_schema, defs, optional=optional) if content.event_schema is not None else None
        )
        is_stream = media_type.lower().startswith("text/event-stream")
        codec = None if is_stream else codec_for(BodyShape(media_type, content.schema, defs, content.encoding))
        media[media_type] = CompiledMedia(
            media_type, content.schema, generator, validator, examples, content.extensions, event_generator, content.terminator,
            _usable_streams(content, defs), codec,
        )
    headers = HeaderSet(tuple(
        compile_header(h.name, h.required, compile_schema(h.schema, defs, name=h.name, optional=optional), h.examples,
                       compile_validator(h.schema, defs))
        for h in spec.headers
    ))
    return CompiledResponse(spec.status, spec, media, headers, tuple(media))
