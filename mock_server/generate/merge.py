"""`allOf` and `$ref` folded into one schema, so each value is generated once, not patched up.

Merging is done at compile time. Refs met while merging are inlined; a ref already being
inlined further up the same chain is treated as `{}` because its constraints are already
part of the merge (this is what keeps `Cat: allOf[Pet]` with `Pet: oneOf[Cat, Dog]` finite).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import orjson

from ..contracts.schema import Schema
from .refs import resolve_ref

MAX_CROSS = 16

_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas")
_SCHEMA_VALUES = ("items", "additionalProperties", "propertyNames", "contains", "unevaluatedProperties")


def needs_merge(schema: Schema) -> bool:
    """`$ref` with siblings and `allOf` are merged; a bare `$ref` stays a lazy reference."""
    return isinstance(schema, dict) and ("allOf" in schema or ("$ref" in schema and len(schema) > 1))


def flatten(schema: Schema, defs: Mapping[str, Schema], inlining: tuple[str, ...]) -> tuple[Schema, tuple[str, ...]]:
    """Fold `$ref` and `allOf` at the top of `schema`; returns the merge and the refs it inlined."""
    if isinstance(schema, bool):
        return schema, inlining
    result: Schema = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref not in inlining:
        target = resolve_ref(ref, defs)
        if target is not None:
            part, inlining = flatten(target, defs, (*inlining, ref))
            result = merge(result, part)
    for member in schema.get("allOf", []):
        part, inlining = flatten(member, defs, inlining)
        result = merge(result, part)
    return result, inlining


def merge(a: Schema, b: Schema) -> Schema:
    """Both constraints at once; where two keywords cannot be combined exactly, `a` wins."""
    if a is False or b is False:
        return False
    if a is True:
        return b if isinstance(b, dict) else {}
    if b is True:
        return a
    out = dict(a)
    for key, value in b.items():
        out[key] = _merge_key(key, out[key], value) if key in out else value
    _apply_additional(out, a, b)
    _apply_additional(out, b, a)
    return out


def _apply_additional(out: dict[str, Any], owner: dict[str, Any], other: dict[str, Any]) -> None:
    """`owner`'s additionalProperties also governs the properties only `other` declares."""
    rule = owner.get("additionalProperties", True)
    props = out.get("properties")
    if rule is True or not isinstance(props, dict):
        return
    own = owner.get("properties") or {}
    foreign = [k for k in (other.get("properties") or {}) if k not in own]
    if rule is False:
        out["properties"] = {k: v for k, v in props.items() if k not in foreign}
    else:
        out["properties"] = {k: ({"allOf": [v, rule]} if k in foreign else v) for k, v in props.items()}


def _merge_key(key: str, a: Any, b: Any) -> Any:
    if key in _LOWER:
        return max(a, b)
    if key in _UPPER:
        return min(a, b)
    if key == "type":
        return intersect_types(a, b)
    if key == "required":
        return list(dict.fromkeys([*a, *b]))
    if key in _SCHEMA_MAPS:
        return {**a, **b, **{k: {"allOf": [a[k], b[k]]} for k in a if k in b}}
    if key in _SCHEMA_VALUES:
        return False if a is False or b is False else {"allOf": [a, b]}
    if key == "dependentRequired":
        return {**a, **b, **{k: list(dict.fromkeys([*a[k], *b[k]])) for k in a if k in b}}
    if key == "enum":
        keys = {canon(v) for v in b}
        return [v for v in a if canon(v) in keys]
    if key == "multipleOf":
        return lcm(a, b)
    if key == "uniqueItems":
        return bool(a or b)
    if key == "not":
        return {"anyOf": [a, b]}
    if key == "prefixItems":
        longer = a if len(a) >= len(b) else b
        return [{"allOf": [x, y]} for x, y in zip(a, b)] + longer[min(len(a), len(b)):]
    if key in ("oneOf", "anyOf") and len(a) * len(b) <= MAX_CROSS:
        return [{"allOf": [x, y]} for x in a for y in b]
    return a


def intersect_types(a: str | list[str], b: str | list[str]) -> list[str]:
    """Type sets intersect; `integer` is the part of `number` both allow."""
    left = [a] if isinstance(a, str) else list(a)
    right = [b] if isinstance(b, str) else list(b)
    out: list[str] = []
    for kind in left:
        if kind in right:
            out.append(kind)
        elif {kind, "number", "integer"} == {"number", "integer"} and ({"number", "integer"} & set(right)):
            out.append("integer")
    return list(dict.fromkeys(out))


def lcm(a: float, b: float) -> float:
    """Least common multiple of two (possibly fractional) multipleOf values, kept exact."""
    x, y = Fraction(str(a)), Fraction(str(b))
    num = x.numerator * y.numerator // _gcd(x.numerator, y.numerator)
    value = Fraction(num, _gcd(x.denominator, y.denominator))
    return int(value) if value.denominator == 1 else float(value)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def canon(value: Any) -> bytes:
    """A stable identity for JSON values (enum membership, uniqueItems), never `hash()`."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, sort_keys=True, default=repr).encode()
