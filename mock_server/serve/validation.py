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
from urllib.parse import parse_qsl

import jsonschema_rs
import orjson

from ..behaviours.context import Request
from ..contracts.index import MediaContent, Operation, Parameter
from ..contracts.schema import Schema, compile_validator, deref, describe_error, error_field
from ..errors import RequestInvalid, UnsupportedMediaType
from ..media.types import is_json, match_media_type, media_type_of

MAX_REPORTED_ERRORS = 5


def _types(schema: Schema) -> tuple[str, ...]:
    if not isinstance(schema, dict):
        return ()
    kind = schema.get("type")
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(kind)
    for branch_key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(branch_key, []):
            found = _types(branch)
            if found:
                return found
    return ()


def coerce(text: str, schema: Schema, defs: Mapping[str, Schema]) -> Any:
    """A parameter string as the value its schema expects; unchanged when it cannot be read so."""
    for kind in _types(deref(schema, defs)):
        if kind == "integer":
            try:
                return int(text)
            except ValueError:
                continue
        if kind == "number":
            try:
                number = float(text)
            except ValueError:
                continue
            return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "null" and text in ("", "null"):
            return None
        if kind == "string":
            return text
    return text


@dataclass(frozen=True, slots=True)
class _CompiledParameter:
    spec: Parameter
    validator: jsonschema_rs.Validator
    item_schema: Schema
    is_array: bool

    def parse(self, values: list[str], defs: Mapping[str, Schema]) -> Any:
        if self.is_array:
            items = values if self.spec.explode or len(values) > 1 else _split(values[0], self.spec.style)
            return [coerce(item, self.item_schema, defs) for item in items]
        return coerce(values[-1], self.spec.schema, defs)


def _split(text: str, style: str) -> list[str]:
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    return text.split(separator) if text else []


class RequestValidator:
    """Validates one operation's requests; built at start-up."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self.defs = operation.request_defs
        self.parameters = tuple(self._compile_parameter(p) for p in operation.parameters)
        body = operation.request_body
        self.body_required = bool(body and body.required)
        self.body_content = dict(body.content) if body else {}
        self.body_validators = {
            media_type: compile_validator(media.schema, self.defs)
            for media_type, media in self.body_content.items()
            if media.schema is not None
        }

    def _compile_parameter(self, parameter: Parameter) -> _CompiledParameter:
        resolved = deref(parameter.schema, self.defs)
        is_array = "array" in _types(resolved)
        item_schema = resolved.get("items", {}) if isinstance(resolved, dict) else {}
        return _CompiledParameter(parameter, compile_validator(parameter.schema, self.defs), item_schema, is_array)

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
            if raw is None:
                if spec.required:
                    raise RequestInvalid(f"{spec.location} parameter '{spec.name}' is required", param=spec.name)
                continue
            value = compiled.parse(raw, self.defs)
            self._check(compiled.validator, value, f"{spec.location}.{spec.name}", spec.name)
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

    def _check(self, validator: jsonschema_rs.Validator, value: Any, where: str, param: str | None) -> None:
        if validator.is_valid(value):
            return
        found = [e for _, e in zip(range(MAX_REPORTED_ERRORS), validator.iter_errors(value))]
        message = "; ".join(describe_error(e, where) for e in found)
        raise RequestInvalid(message, param=param if param is not None or not found else error_field(found[0]))

    def _body(self, headers: Mapping[str, str], body: bytes) -> tuple[str | None, Any]:
        if not self.body_content:
            return media_type_of(headers.get("content-type")), None
        if not body:
            if self.body_required:
                raise RequestInvalid("the request body is required")
            return None, None
        media_type = media_type_of(headers.get("content-type")) or next(iter(self.body_content)).lower()
        media = match_media_type(media_type, self.body_content)
        if media is None:
            declared = ", ".join(self.body_content)
            raise UnsupportedMediaType(f"Content-Type {media_type!r} is not accepted here; send one of: {declared}")
        parsed = self._parse(media_type, media, body)
        validator = self.body_validators.get(media.media_type)
        if validator is not None:
            self._check(validator, parsed, "body", None)
        return media_type, parsed

    def _parse(self, media_type: str, media: MediaContent, body: bytes) -> Any:
        if is_json(media_type):
            try:
                return orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                raise RequestInvalid(f"the request body is not valid JSON: {exc}") from None
        if media_type == "application/x-www-form-urlencoded":
            try:
                pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise RequestInvalid("the form body is not valid UTF-8") from None
            return self._form(pairs, media)
        if media_type.startswith("text/"):
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestInvalid("the text body is not valid UTF-8") from None
        return body

    def _form(self, pairs: list[tuple[str, str]], media: MediaContent) -> dict[str, Any]:
        schema = deref(media.schema or {}, self.defs)
        properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
        result: dict[str, Any] = {}
        for key, values in _multi(pairs).items():
            prop = deref(properties.get(key, {}), self.defs)
            if "array" in _types(prop):
                item = prop.get("items", {}) if isinstance(prop, dict) else {}
                result[key] = [coerce(v, item, self.defs) for v in values]
            else:
                result[key] = coerce(values[-1], prop, self.defs)
        return result


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
