"""Writing known values into a generated object without breaking its schema.

A reflected answer is a generated object with the request's values written in: the path's id,
the fields the client sent, the filter it asked for, a stored resource's fields. Each value is
written only where the object's schema declares the field and the value is valid for it (after
reading `"42"` as 42 or 42 as `"42"` where the field wants that), so the answer still conforms.
Fields are checked one at a time with validators compiled on first use: microseconds, where
validating whole answers at run time would cost far more.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import math
import uuid
from collections.abc import Mapping
from typing import Any

import jsonpatch
import jsonpointer
import orjson

from ..contracts.schema import Schema
from ..contracts.shapes import is_polymorphic, object_fields, required_fields, types_of, unwrap
from ..contracts.validators import compile_validator
from .containers import ObjectNode
from .nodes import RefNode, TypeNode
from .source import Source
from .values import Generator, compile_schema

MAX_NESTING = 6
EMPTY: tuple[Any, ...] = (None, [], "")  # how an API shows a field nobody set, most telling first
MISSING = object()


def identity_seed(base: int, *parts: Any) -> int:
    """A seed of its own for one resource (`base`, collection, id): the same pet, wherever it is
    shown, is generated from the same seed, whichever request asked for it."""
    return int.from_bytes(_digest(base, parts, 8), "big")


def identity_uuid(base: int, *parts: Any) -> str:
    """A version-4 UUID drawn from (`base`, parts): an id that is the same on every run."""
    return str(uuid.UUID(bytes=_digest(base, parts, 16), version=4))


def _digest(base: int, parts: tuple[Any, ...], size: int) -> bytes:
    material = orjson.dumps([base, *[str(p) for p in parts]])
    return hashlib.blake2b(material, digest_size=size).digest()


class SchemaCheck:
    """A validator compiled the first time it is asked something; never raises on odd values."""

    __slots__ = ("_validator", "defs", "schema")

    def __init__(self, schema: Schema, defs: Mapping[str, Schema]) -> None:
        self.schema, self.defs = schema, defs
        self._validator: Any = None

    def is_valid(self, value: Any) -> bool:
        if self._validator is None:
            try:
                self._validator = compile_validator(self.schema, self.defs)
            except Exception:  # noqa: BLE001 - a schema jsonschema-rs cannot compile accepts nothing here
                self._validator = False
        if self._validator is False:
            return False
        try:
            return bool(self._validator.is_valid(value))
        except ValueError:
            return False


class FieldFit:
    """One declared field: may a value be written there, and in which form."""

    __slots__ = ("_depth", "_generator", "_nested", "check", "defs", "kinds", "name", "read_only", "schema")

    def __init__(self, name: str, schema: Schema, defs: Mapping[str, Schema], depth: int) -> None:
        self.name, self.schema, self.defs = name, schema, defs
        shape = unwrap(schema, defs)
        self.read_only = isinstance(shape, dict) and shape.get("readOnly") is True or (
            isinstance(schema, dict) and schema.get("readOnly") is True)
        self.kinds = types_of(shape)
        self.check = SchemaCheck(schema, defs)
        self._nested: ObjectFit | None | bool = None if depth < MAX_NESTING else False
        self._depth = depth
        self._generator: Generator | None = None

    def fitted(self, value: Any) -> tuple[bool, Any]:
        """(True, value in the field's form) when it is valid there, else (False, None)."""
        if not encodable(value):
            return False, None
        if self.check.is_valid(value):
            return True, value
        for candidate in _readings(value, self.kinds):
            if self.check.is_valid(candidate):
                return True, candidate
        return False, None

    def generate(self, source: Source) -> Any:
        """A value of this field alone (compiled on first use)."""
        if self._generator is None:
            self._generator = compile_schema(self.schema, self.defs, name=self.name)
        return self._generator(source)

    def id_at(self, base: int, key: str, index: int, source: Source) -> Any:
        """The id of resource `index` (from 0) of collection `key`: 1, 2, 3… where the field takes
        integers, a UUID where it wants one, else a value drawn from its own seed; None if none fits."""
        if "integer" in self.kinds or "number" in self.kinds:
            ok, value = self.fitted(index + 1)
            if ok:
                return value
        shape = unwrap(self.schema, self.defs)
        if "string" in self.kinds and isinstance(shape, dict) and shape.get("format") == "uuid":
            return identity_uuid(base, key, "#id", index)
        value = self.generate(source.reseeded(identity_seed(base, key, "#id", index)))
        return value if self.fitted(value)[0] else None

    @property
    def nested(self) -> ObjectFit | None:
        """The fit of an object-valued field, to write into it field by field."""
        if self._nested is None:
            fields = object_fields(self.schema, self.defs)
            self._nested = ObjectFit(self.schema, self.defs, self._depth + 1) if fields else False
        return self._nested or None


def trimmed(generator: Generator, names: frozenset[str]) -> Generator:
    """The generator of an object schema without some of its properties: a create's answer does not
    draw the values the client sets (a Faker e-mail costs ~0.1 ms), it writes or clears them."""
    if not names:
        return generator
    root = _without(generator.root, names, 8)
    return Generator(root, generator.max_depth) if root is not None else generator


def _without(node: Any, names: frozenset[str], hops: int) -> Any:
    """`node` with its object's properties `names` left out, through refs and type unions; None
    where there is no single object to trim."""
    if hops <= 0:
        return None
    if isinstance(node, ObjectNode):
        return dataclasses.replace(node, properties=tuple(p for p in node.properties if p[0] not in names))
    if isinstance(node, RefNode) and node.target is not None:
        inner = _without(node.target, names, hops - 1)
        return RefNode(node.recursive, inner) if inner is not None else None
    if isinstance(node, TypeNode) and "object" in node.types:
        index = node.types.index("object")
        inner = _without(node.nodes[index], names, hops - 1)
        if inner is None:
            return None
        return TypeNode(node.types, (*node.nodes[:index], inner, *node.nodes[index + 1:]))
    return None


def encodable(value: Any) -> bool:
    """JSON answers carry 64-bit integers and finite numbers at most, anywhere in the value (a path
    or a request body may hold any number of digits; written back, they would be floats, and a
    validator reading `4.1e+20` refuses it as an integer)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, bool) or item is None or isinstance(item, str):
            continue
        if isinstance(item, int):
            if not -(2**63) <= item < 2**64:
                return False
        elif isinstance(item, float):  # an integer past 64 bits read as a float: an integer field refuses it
            if not math.isfinite(item) or (item.is_integer() and abs(item) >= 2**63):
                return False
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def _readings(value: Any, kinds: tuple[str, ...]) -> list[Any]:
    """Other ways to read a path or query value: `"42"` as 42, 42 as `"42"`."""
    out: list[Any] = []
    if isinstance(value, str):
        if "integer" in kinds or "number" in kinds:
            try:
                number = int(value)
                if encodable(number):
                    out.append(number)
            except ValueError:
                try:
                    out.append(float(value))
                except ValueError:
                    pass
        if "boolean" in kinds and value in ("true", "false"):
            out.append(value == "true")
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and "string" in kinds:
        out.append(str(value))
    return out


class ObjectFit:
    """The fields of one object schema, each a `FieldFit`; built on first use."""

    def __init__(self, schema: Schema, defs: Mapping[str, Schema], depth: int = 0) -> None:
        self.schema, self.defs, self.depth = schema, defs, depth
        self._fields: dict[str, FieldFit] | None = None
        shape = unwrap(schema, defs)
        self.max_properties = shape.get("maxProperties") if isinstance(shape, dict) else None
        self.polymorphic = is_polymorphic(schema, defs)
        self.whole = SchemaCheck(schema, defs)
        self.required = required_fields(schema, defs)
        self._branches: list[ObjectFit] | None = None

    @property
    def fields(self) -> dict[str, FieldFit]:
        if self._fields is None:
            self._fields = {name: FieldFit(name, sub, self.defs, self.depth)
                            for name, sub in object_fields(self.schema, self.defs).items() if sub is not False}
        return self._fields

    def field(self, name: str) -> FieldFit | None:
        return self.fields.get(name)

    def branch_for(self, value: Any) -> ObjectFit | None:
        """Of a oneOf/anyOf object schema, the fit of the first branch `value` is valid for."""
        if self._branches is None:
            shape = unwrap(self.schema, self.defs)
            listed = next((shape[k] for k in ("oneOf", "anyOf") if isinstance(shape, dict) and isinstance(shape.get(k), list)), [])
            self._branches = [ObjectFit(branch, self.defs, self.depth + 1) for branch in listed]
        return next((branch for branch in self._branches if branch.whole.is_valid(value)), None)

    def completed(self, value: dict[str, Any], source: Source) -> dict[str, Any]:
        """A client's object with the declared fields it left out: empty where the schema allows,
        else drawn (a server's default), so every declared property is there; `value` as it was if
        the completed one would not be valid (a oneOf it would then match twice)."""
        fit = self.branch_for(value) if self.polymorphic else self
        if fit is None:
            return value
        out = dict(value)
        for name, field in fit.fields.items():
            if name not in out and not field.read_only:
                empty = next((e for e in EMPTY if field.check.is_valid(e)), MISSING)
                out[name] = field.generate(source) if empty is MISSING else empty
        return out if self.whole.is_valid(out) else value

    def write(self, target: dict[str, Any], name: str, value: Any) -> bool:
        """Write one value where it fits; True when written."""
        field = self.fields.get(name)
        if field is None:
            return False
        if name not in target and isinstance(self.max_properties, int) and len(target) >= self.max_properties:
            return False
        ok, fitted = field.fitted(value)
        if ok:
            target[name] = copy.deepcopy(fitted) if isinstance(fitted, (dict, list)) else fitted
            return True
        nested = field.nested
        if nested is not None and isinstance(value, dict) and isinstance(target.get(name), dict):
            nested.overlay(target[name], value, from_client=False)
            return True
        return False

    def overlay(self, target: dict[str, Any], values: Mapping[str, Any], *, from_client: bool) -> None:
        """Write every value that fits. A client's values skip read-only fields (the server makes
        those: ids, timestamps); the server's own (a stored resource) go everywhere."""
        for name, value in values.items():
            field = self.fields.get(name)
            if field is None or (from_client and field.read_only):
                continue
            self.write(target, name, value)

    def clear(self, target: dict[str, Any], name: str) -> None:
        """A field the client did not send: null, else empty, where the schema allows."""
        field = self.fields[name]
        for empty in EMPTY:
            if field.check.is_valid(empty):
                target[name] = empty
                return

    def read_only_names(self) -> frozenset[str]:
        return frozenset(name for name, field in self.fields.items() if field.read_only)


def apply_json_patch(fit: ObjectFit, item: dict[str, Any], operations: list[Any]) -> None:
    """A JSON Patch (RFC 6902) applied to a generated object, where it applies and what it leaves fits."""
    try:
        after = jsonpatch.apply_patch(item, operations)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError):
        return
    if not isinstance(after, dict):
        return
    fit.overlay(item, {k: v for k, v in after.items() if item.get(k) != v}, from_client=True)
    for name in [n for n in item if n not in after and n not in fit.required]:
        del item[name]


def value_at(body: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` (object keys) in a body; None where there is none."""
    for key in path:
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


def with_value_at(body: Any, path: tuple[str, ...], value: Any) -> Any:
    """`body` with `value` at `path` (an envelope's `data`); the value itself for ()."""
    if not path:
        return value
    if not isinstance(body, dict):
        return body
    holder = body
    for key in path[:-1]:
        nxt = holder.get(key)
        if not isinstance(nxt, dict):
            return body
        holder = nxt
    holder[path[-1]] = value
    return body
