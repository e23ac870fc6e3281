"""Compiled validators of one contract's schemas, and what their errors say.

A contract's component schemas, normalised (`schema.normalize`) in one direction, are the
resources of one jsonschema-rs registry (`Definitions`); `compile_validator` builds a validator
per distinct schema from it, and `describe_error` turns jsonschema-rs's errors into the line a
person reads in a 4xx answer or a check's report.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote

import jsonschema_rs
import orjson

from .schema import (
    DEFS_PREFIX,
    DIALECT,
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    SCHEMA_VALUES,
    Direction,
    Schema,
    normalize,
)


def normalize_defs(components: Mapping[str, Any], *, oas30: bool, direction: Direction) -> Definitions:
    """Normalise every component schema once; `$defs` for all schemas of one contract."""
    return Definitions(
        (name, normalize(schema, oas30=oas30, direction=direction, components=components))
        for name, schema in components.items()
    )


REGISTRY_PREFIX = "urn:mock-server:def:"  # a component's URI in its contract's registry
_NOT_REGISTRY_SAFE = frozenset({"$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"})


class Definitions(dict):
    """The normalised component schemas of one contract, in one direction (`$defs`), and the one
    jsonschema-rs registry every validator of that contract reads them from.

    Before the registry, each validator was built from a document carrying every component, so
    start-up grew with operations x components (9,080 builds: 6.4 s at 570 operations). Now a
    component is a resource of its own (`urn:mock-server:def:<name>`, its refs pointed at its
    siblings' resources), translated for jsonschema-rs the first time a validator reaches it and
    kept: a validator costs what its schema reaches, and nothing is done for unused components.
    A schema met again (a shared error response, an enum of a component every operation uses) gets
    the validator already built, as jsonschema-rs validators are immutable: at 540 operations the
    compiled responses took 67 MB instead of 210."""

    @functools.cached_property
    def registry(self) -> jsonschema_rs.Registry:
        return jsonschema_rs.Registry([], retriever=self._resource)

    @functools.cached_property
    def _resources(self) -> dict[str, Schema]:
        return {}

    @functools.cached_property
    def validators(self) -> dict[bytes, jsonschema_rs.Validator]:
        """Validators built so far, by the schema's canonical JSON (see `compile_validator`)."""
        return {}

    def _resource(self, uri: str) -> Schema:
        """The registry's retriever: one component as a resource of its own."""
        found = self._resources.get(uri)
        if found is None:
            name = unquote(uri[len(REGISTRY_PREFIX):]) if uri.startswith(REGISTRY_PREFIX) else None
            schema = self.get(name) if name is not None else None
            pointed = _pointed(schema) if schema is not None else None
            if pointed is None:
                raise ValueError(f"{uri} is not a component the registry can serve")
            found = self._resources[uri] = {"$schema": DIALECT, **pointed} if isinstance(pointed, dict) else pointed
        return found

    def pointed(self, schema: Schema) -> Schema | None:
        """`schema` as a root document whose component refs point into the registry; None when the
        registry cannot serve it (then the validator is built with every component inline)."""
        pointed = _pointed(schema)
        if isinstance(pointed, dict):
            pointed = {"$schema": DIALECT, **pointed}
            pointed.pop("$defs", None)  # as in `with_defs`, the contract's components win
        return pointed


def _pointed(schema: Any) -> Any:
    """A copy of `schema` with `#/$defs/Name/...` refs as `urn:mock-server:def:Name#/...`, walking only
    schema positions (an `enum` value holding a "$ref" key is data); None for what a registry of
    components cannot resolve alike (anchors, `$id`, refs elsewhere)."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict):
        return None
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _NOT_REGISTRY_SAFE:
            return None
        if key == "$ref":
            if not (isinstance(value, str) and value.startswith(DEFS_PREFIX)):
                return None
            name, _, rest = value[len(DEFS_PREFIX):].partition("/")
            out[key] = f"{REGISTRY_PREFIX}{name}#/{rest}" if rest else REGISTRY_PREFIX + name
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            inner = {}
            for name, sub in value.items():
                inner[name] = _pointed(sub)
                if inner[name] is None:
                    return None
            out[key] = inner
        elif key in SCHEMA_LISTS and isinstance(value, list):
            items = [_pointed(sub) for sub in value]
            if any(item is None for item in items):
                return None
            out[key] = items
        elif key in SCHEMA_VALUES and isinstance(value, (dict, bool)):
            out[key] = _pointed(value)
            if out[key] is None:
                return None
        else:
            out[key] = value
    return out


def with_defs(schema: Schema, defs: Mapping[str, Schema]) -> Schema:
    """A self-contained document: the schema plus the definitions its refs point to."""
    if isinstance(schema, bool):
        return schema
    return {"$schema": DIALECT, **schema, "$defs": dict(defs)}


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


OPENAPI_FORMATS = {"byte": _is_base64}


def compile_validator(schema: Schema, defs: Mapping[str, Schema]) -> jsonschema_rs.Validator:
    """A validator for one schema; formats are checked, unknown ones ignored.

    Its `#/$defs/...` refs are read from the contract's shared registry (`Definitions.registry`), so
    building it costs what the schema reaches, not every component of the contract. A schema the
    registry cannot serve (anchors, `$id`, refs outside `$defs`) is built the self-contained way."""
    definitions = defs if isinstance(defs, Definitions) else Definitions(defs)
    key = _identity(schema)
    validator = definitions.validators.get(key) if key is not None else None
    if validator is None:
        validator = _build_validator(schema, definitions)
        if key is not None:
            definitions.validators[key] = validator
    return validator


def _build_validator(schema: Schema, definitions: Definitions) -> jsonschema_rs.Validator:
    pointed = definitions.pointed(schema)
    if pointed is not None:
        try:
            return jsonschema_rs.validator_for(
                pointed, validate_formats=True, formats=OPENAPI_FORMATS, registry=definitions.registry
            )
        except (ValueError, jsonschema_rs.ReferencingError):
            pass  # the self-contained document says what is wrong, as it always did
    return jsonschema_rs.validator_for(
        with_defs(schema, definitions), validate_formats=True, formats=OPENAPI_FORMATS
    )


MAX_QUOTED = 80  # characters of a long value quoted in a message (a file, a raw body)
def _identity(schema: Schema) -> bytes | None:
    """The schema's canonical JSON: the same schema in two operations gets one validator."""
    try:
        return orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None


def describe_error(error: jsonschema_rs.ValidationError, where: str) -> str:
    """One line a person can act on: where in the request, and what is wrong. A long value (a file,
    a raw body) is quoted by its start and its length, not in full."""
    message = error.message
    instance = error.instance
    if isinstance(instance, str) and len(instance) > MAX_QUOTED:
        for quoted in (json.dumps(instance, ensure_ascii=False), json.dumps(instance)):
            if message.startswith(quoted):
                message = quoted[:MAX_QUOTED] + f'…" ({len(instance)} characters)' + message[len(quoted):]
                break
    return f"{where}{_dotted(error.instance_path)}: {message}"


def error_path(error: jsonschema_rs.ValidationError) -> tuple[str | int, ...]:
    """Where in the instance an error is, a missing property included: `("messages", 0, "role")`."""
    missing = getattr(error.kind, "property", None) if type(error.kind).__name__ == "Required" else None
    return (*error.instance_path, *((missing,) if isinstance(missing, str) else ()))


def error_field(error: jsonschema_rs.ValidationError) -> str | None:
    """The body field an error is about (`messages[0].role`), a missing one included: what
    error shapes with a `param` field report (OpenAI's does). None for the body as a whole."""
    return dotted(error_path(error)) or None


def dotted(path: Iterable[str | int]) -> str:
    """A path as people write it: `messages[0].role`."""
    return _dotted(path).removeprefix(".")


def _dotted(path: Iterable[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
