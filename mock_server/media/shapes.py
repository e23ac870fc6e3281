"""What the codecs read in a schema to give a body its shape: types, properties, items, scalars.

Wire formats other than JSON carry text only (a form field, an XML element, a multipart part); the
schema says whether `7` is the number 7 or the string "7". These helpers answer that, following
`$ref`s and looking through `allOf`/`anyOf`/`oneOf`, without ever raising on an odd schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contracts.schema import Schema, deref

_INFERRED = (
    ("object", ("properties", "additionalProperties", "patternProperties", "required")),
    ("array", ("items", "prefixItems", "minItems", "maxItems")),
)
_BRANCHES = ("allOf", "anyOf", "oneOf")


def resolve(schema: Any, defs: Mapping[str, Schema]) -> dict[str, Any]:
    """The schema with its top-level `$ref` followed, as a mapping ({} for `true` and odd values)."""
    found = deref(schema, defs)
    return found if isinstance(found, dict) else {}


def kinds(schema: Any, defs: Mapping[str, Schema], depth: int = 0) -> tuple[str, ...]:
    """The JSON types a schema allows: declared, else inferred from its keywords or its branches."""
    resolved = resolve(schema, defs)
    declared = resolved.get("type")
    if isinstance(declared, str):
        return (declared,)
    if isinstance(declared, list):
        return tuple(str(kind) for kind in declared)
    for kind, keywords in _INFERRED:
        if any(keyword in resolved for keyword in keywords):
            return (kind,)
    if depth < 8:
        for key in _BRANCHES:
            found: list[str] = []
            for branch in resolved.get(key) or []:
                found.extend(k for k in kinds(branch, defs, depth + 1) if k not in found)
            if found:
                return tuple(found)
    if "const" in resolved:
        return (_kind_of(resolved["const"]),)
    if isinstance(resolved.get("enum"), list) and resolved["enum"]:
        return tuple(dict.fromkeys(_kind_of(value) for value in resolved["enum"]))
    return ()


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def properties(schema: Any, defs: Mapping[str, Schema], depth: int = 0) -> dict[str, Any]:
    """Every property a body of this schema may have: its own, then those of its branches (first wins)."""
    resolved = resolve(schema, defs)
    found = dict(resolved.get("properties") or {})
    if depth < 8:
        for key in _BRANCHES:
            for branch in resolved.get(key) or []:
                for name, sub in properties(branch, defs, depth + 1).items():
                    found.setdefault(name, sub)
    return found


def items(schema: Any, defs: Mapping[str, Schema], depth: int = 0) -> Any:
    """The schema of an array's items ({} when not said)."""
    resolved = resolve(schema, defs)
    if "items" in resolved and resolved["items"] is not False:
        return resolved["items"]
    if depth < 8:
        for key in _BRANCHES:
            for branch in resolved.get(key) or []:
                found = items(branch, defs, depth + 1)
                if found != {}:
                    return found
    return {}


def extra_property(schema: Any, defs: Mapping[str, Schema]) -> Any:
    """The schema of a property the object does not declare (`additionalProperties`), {} if any goes."""
    extra = resolve(schema, defs).get("additionalProperties", {})
    return extra if isinstance(extra, dict) else {}


def is_binary(schema: Any, defs: Mapping[str, Schema]) -> bool:
    """A file: `format: binary` (3.0), or a string carrying a media type of its own (3.1)."""
    resolved = resolve(schema, defs)
    return resolved.get("format") in ("binary", "file") or (
        "contentMediaType" in resolved and "contentEncoding" not in resolved
    )


def coerce(text: str, schema: Any, defs: Mapping[str, Schema], allowed: tuple[str, ...] | None = None) -> Any:
    """A text value as the scalar its schema expects; unchanged when it cannot be read so (the
    validator then names the field and the type it wanted). `allowed`: the schema's `kinds`, where
    the caller compiled them once."""
    for kind in kinds(schema, defs) if allowed is None else allowed:
        if kind == "integer":
            try:
                return int(text)
            except ValueError:
                whole = _integral(text)  # `7.0` is an integer to JSON Schema: a number whose fraction is 0
                if whole is None:
                    continue
                return whole
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


def _integral(text: str) -> float | None:
    """`text` as a number if it is written in decimals with a zero fraction (`7.0`, what a JSON
    serializer writes for an integral float), else None. An exponent (`1e3`, `-3.4e+38`) is no
    integer's spelling in a parameter: schemathesis sends it as the wrong type, and so it stays text."""
    if "e" in text or "E" in text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number.is_integer() else None


def scalar_text(value: Any) -> str:
    """A scalar as text on the wire: JSON's spelling for booleans and null, exact digits for numbers."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
