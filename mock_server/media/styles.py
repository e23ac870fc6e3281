"""Object parameters in their OpenAPI style: a query, path, header or cookie value read into an object.

OpenAPI writes an object parameter `{"role": "admin", "id": 5}` as:

- `simple` (path, header) and `form` with `explode: false` (query, cookie): `role,admin,id,5`;
- `simple` with `explode: true`: `role=admin,id=5`;
- `label`: `.role,admin,id,5` or, exploded, `.role=admin.id=5`; `matrix`: `;filter=role,admin,id,5`
  or, exploded, `;role=admin;id=5`;
- `deepObject` (query): a field per property, `filter[role]=admin&filter[id]=5`;
- `form` with `explode: true` (query, OpenAPI's default for objects): its properties are query fields
  of their own, `role=admin&id=5`.

An empty value is the empty object. JSON text (`{"role": "admin"}`) is read too, as clients send it.
Each value is coerced to its property's type; text that cannot be read as an object is returned
unchanged, for the validator to refuse by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from ..contracts.schema import Schema
from .shapes import coerce, extra_property, properties, resolve


def is_object(allowed: tuple[str, ...]) -> bool:
    """A parameter read as an object: its schema allows objects and no scalar or array to read instead."""
    return "object" in allowed and not set(allowed) & {"array", "string", "integer", "number", "boolean"}


def read_object(text: str, style: str, explode: bool, name: str, schema: Schema, defs: Mapping[str, Schema]) -> Any:
    """One value of an object parameter, as the object it writes; the text itself when it writes none."""
    if text.lstrip().startswith("{"):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            return text
    if style == "label":
        text, separator = text.removeprefix("."), "." if explode else ","
    elif style == "matrix":
        text, separator = text.removeprefix(";"), ";" if explode else ","
        if not explode:
            text = text.removeprefix(f"{name}=") if text.startswith(f"{name}=") else text.removeprefix(name)
    else:
        separator = ","
    if not text:
        return {}
    pieces = text.split(separator)
    if explode and style != "form":
        pairs = [piece.partition("=") for piece in pieces]
        if any(not sign for _, sign, _ in pairs):
            return text
        found = {key: value for key, _, value in pairs}
    else:
        if len(pieces) % 2:
            return text
        found = dict(zip(pieces[::2], pieces[1::2]))
    return _typed(found, schema, defs)


def gather_object(
    pairs: Iterable[tuple[str, str]], name: str, style: str, schema: Schema, defs: Mapping[str, Schema],
    others: frozenset[str],
) -> dict[str, Any] | None:
    """A query object written over several fields (`deepObject`, or `form` exploded), None when the
    query holds none of them. `others`: the operation's other query parameters, never this object's."""
    found: dict[str, str] = {}
    if style == "deepObject":
        prefix = f"{name}["
        for key, value in pairs:
            if key.startswith(prefix) and key.endswith("]") and "[" not in key[len(prefix):-1]:
                found[key[len(prefix):-1]] = value
    else:
        declared = properties(schema, defs)
        open_ended = resolve(schema, defs).get("additionalProperties", True) is not False
        for key, value in pairs:
            if key not in others and (key in declared or open_ended):
                found[key] = value
    return _typed(found, schema, defs) if found else None


def _typed(found: Mapping[str, str], schema: Schema, defs: Mapping[str, Schema]) -> dict[str, Any]:
    own, extra = properties(schema, defs), extra_property(schema, defs)
    return {key: coerce(value, own.get(key, extra), defs) for key, value in found.items()}
