"""Request validation: parameters and body checked against the contract, compiled once per operation.

Parameters arrive as strings; they are parsed by their declared style and coerced to their schema's
type before jsonschema-rs checks them, so `?limit=abc` reads "query.limit: "abc" is not of type
"integer"". Every failure is a `RequestInvalid` or `UnsupportedMediaType`: the caller renders it in
the contract's own error shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import jsonschema_rs

from ..behaviours.context import Request
from ..contracts.index import Operation, Parameter
from ..contracts.schema import Schema, deref
from ..contracts.validators import compile_validator, describe_error, error_field, error_path
from ..errors import RequestInvalid, UnsupportedMediaType
from ..media.codecs import BodyCodec, BodyShape, codec_for, validatable
from ..media.shapes import coerce, kinds
from ..media.styles import gather_object, is_object, read_object
from ..media.types import is_xml, match_media_type, media_type_of

MAX_REPORTED_ERRORS = 5


@dataclass(frozen=True, slots=True)
class _CompiledBody:
    """One declared media type of the request body: the codec that reads it and its schema's validator."""

    media_type: str
    codec: BodyCodec
    validator: jsonschema_rs.Validator | None


@dataclass(frozen=True, slots=True)
class _CompiledParameter:
    spec: Parameter
    validator: jsonschema_rs.Validator
    item_schema: Schema
    is_array: bool
    kinds: tuple[str, ...]  # of the schema, or of its items for arrays: compiled once, read per request
    is_object: bool
    spread: bool  # a query object written over several fields: deepObject, or form exploded

    def parse(self, values: list[str], defs: Mapping[str, Schema]) -> Any:
        if self.is_array:
            items = values if self.spec.explode or len(values) > 1 else _split(values[0], self.spec.style)
            return [coerce(item, self.item_schema, defs, self.kinds) for item in items]
        if self.is_object:
            spec = self.spec
            return read_object(values[-1], spec.style, spec.explode, spec.name, spec.schema, defs)
        return coerce(values[-1], self.spec.schema, defs, self.kinds)


    def as_text(self, values: list[str], parsed: Any) -> Any:
        """The text as it came, where a schema that also takes a string refuses the number read from
        it (`type: [integer, string]` with `format: int32`, and a number beyond int32)."""
        text = values[-1]
        if self.is_array or isinstance(parsed, str) or "string" not in self.kinds:
            return parsed
        return text if self.validator.is_valid(text) else parsed


def _split(text: str, style: str) -> list[str]:
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    return text.split(separator) if text else []


class RequestValidator:
    """Validates one operation's requests; built at start-up."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self.defs = operation.request_defs
        self.parameters = tuple(self._compile_parameter(p) for p in operation.parameters)
        self.query_names = frozenset(p.name for p in operation.parameters if p.location == "query")
        body = operation.request_body
        self.body_required = bool(body and body.required)
        self.bodies: dict[str, _CompiledBody] = {}
        for declared, media in (body.content if body else {}).items():
            media_type = media_type_of(declared) or declared.lower()
            codec = codec_for(BodyShape(media_type, media.schema, self.defs, media.encoding))
            validator = compile_validator(media.schema, self.defs) if media.schema is not None else None
            self.bodies.setdefault(media_type, _CompiledBody(media_type, codec, validator))

    def _compile_parameter(self, parameter: Parameter) -> _CompiledParameter:
        resolved = deref(parameter.schema, self.defs)
        is_array = "array" in kinds(resolved, self.defs)
        item_schema = resolved.get("items", {}) if isinstance(resolved, dict) else {}
        compiled_kinds = kinds(item_schema if is_array else resolved, self.defs)
        as_object = not is_array and is_object(compiled_kinds)
        spread = as_object and parameter.location == "query" and (
            parameter.style == "deepObject" or (parameter.style == "form" and parameter.explode))
        return _CompiledParameter(parameter, compile_validator(parameter.schema, self.defs), item_schema, is_array,
                                  compiled_kinds, as_object, spread)

    def validate(
        self,
        *,
        method: str,
        path: str,
        path_params: Mapping[str, str],
        raw_query: str,
        query_pairs: list[tuple[str, str]],
        cookies: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> Request:
        """Check a request whose query and cookies the caller parsed once (auth reads them too)."""
        sources: dict[str, Mapping[str, list[str]]] = {
            "path": {k: [v] for k, v in path_params.items()},  # decoded by routing
            "query": _multi(query_pairs),
            "header": {k: [v] for k, v in headers.items()},
            "cookie": {k: [v] for k, v in cookies.items()},
        }
        values: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
        for compiled in self.parameters:
            spec = compiled.spec
            lookup = spec.name.lower() if spec.location == "header" else spec.name
            raw = sources[spec.location].get(lookup)
            if compiled.spread and raw is None:
                value = gather_object(query_pairs, spec.name, spec.style, spec.schema, self.defs,
                                      self.query_names - {spec.name})
                raw = None if value is None else [""]
            else:
                value = None if raw is None else compiled.parse(raw, self.defs)
            if raw is None:
                if spec.required:
                    raise RequestInvalid(f"{spec.location} parameter '{spec.name}' is required", param=spec.name,
                                         locations=((spec.location, spec.name),))
                continue
            if not compiled.validator.is_valid(value):
                value = compiled.as_text(raw, value)
                self._check(compiled.validator, value, (spec.location, spec.name), spec.name)
            values[spec.location][spec.name] = value
        media_type, parsed = self._body(headers, body)
        return Request(
            method=method,
            path=path,
            path_params=values["path"],
            query={**{k: v[-1] for k, v in sources["query"].items()}, **values["query"]},
            headers=headers,
            cookies=cookies,
            media_type=media_type,
            body=parsed,
            raw_body=body,
            raw_query=raw_query,
        )

    def _sniff(self, body: bytes) -> str:
        """No Content-Type: an XML-looking body is read as the declared XML type, else the first declared."""
        if body.lstrip()[:1] == b"<":
            xml = next((media_type for media_type in self.bodies if is_xml(media_type)), None)
            if xml is not None:
                return xml
        return next(iter(self.bodies))

    def _check(self, validator: jsonschema_rs.Validator, value: Any, base: tuple[str, ...], param: str | None) -> None:
        """`base`: where the value is, ("body",) or ("query", "limit")."""
        if validator.is_valid(value):
            return
        where = ".".join(base)
        try:
            found = [e for _, e in zip(range(MAX_REPORTED_ERRORS), validator.iter_errors(value))]
        except ValueError:  # jsonschema-rs cannot describe values nested ~255 deep ("Recursion limit reached")
            raise RequestInvalid(f"{where}: does not match its schema, and nests too deep to say where",
                                 locations=(base,)) from None
        problems = tuple(describe_error(e, where) for e in found)
        raise RequestInvalid("; ".join(problems), param=param if param is not None or not found else error_field(found[0]),
                             details=problems, locations=tuple((*base, *error_path(e)) for e in found))

    def _body(self, headers: Mapping[str, str], body: bytes) -> tuple[str | None, Any]:
        """The body read by the codec of its declared media type, then checked against its schema."""
        content_type = headers.get("content-type")
        if not self.bodies:
            return media_type_of(content_type), None
        media_type = media_type_of(content_type) or self._sniff(body)
        compiled = match_media_type(media_type, self.bodies)
        if not body and (compiled is None or not compiled.codec.reads_empty or content_type is None):
            if self.body_required:
                raise RequestInvalid("the request body is required", locations=(("body",),))
            return None, None
        if compiled is None:
            declared = ", ".join(self.bodies)
            raise UnsupportedMediaType(f"Content-Type {media_type!r} is not accepted here; send one of: {declared}")
        parsed = compiled.codec.decode(body, content_type)
        if compiled.validator is not None:
            self._check(compiled.validator, validatable(parsed) if compiled.codec.holds_bytes else parsed, ("body",), None)
        return media_type, parsed


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def parse_cookies(header: str) -> dict[str, str]:
    """The Cookie header as a mapping; a malformed header reads as no cookies."""
    if not header:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is the client's problem, not a crash
        return {}
    return {key: morsel.value for key, morsel in jar.items()}
