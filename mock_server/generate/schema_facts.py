"""What a schema says about its values, read without generating any: its types (declared or
inferred from its keywords), whether a keyword constrains values, the union a value is, the
labels of a discriminated union's branches, and the properties a list's items all declare."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contracts.schema import Schema, deref, merged_properties
from .merge import canon, needs_merge
from .refs import ref_name

ANNOTATIONS = frozenset({
    "title", "description", "example", "examples", "default", "readOnly", "writeOnly", "deprecated",
    "$comment", "$schema", "$id", "$anchor", "$defs", "definitions", "discriminator", "xml",
    "externalDocs", "contentMediaType", "contentEncoding", "contentSchema",
})
ANY_TYPES = ("string", "integer", "number", "boolean")
SCALARS = frozenset({"null", "boolean", "integer", "number", "string"})
_INFER = (
    ("object", ("properties", "required", "additionalProperties", "patternProperties", "minProperties",
                "maxProperties", "propertyNames", "dependentRequired")),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "contains", "uniqueItems")),
    ("string", ("minLength", "maxLength", "pattern")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)
_FORMAT_TYPES = {"int32": "integer", "int64": "integer", "float": "number", "double": "number"}


def top_union(schema: Schema, defs: Mapping[str, Schema]) -> dict[str, Any] | None:
    """The oneOf/anyOf a value of `schema` is, after `$ref`s and one-member `allOf` wrappers, if any."""
    for _ in range(8):
        schema = deref(schema, defs)
        if not isinstance(schema, dict):
            return None
        if isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list):
            return None if needs_merge(schema) else schema
        members = schema.get("allOf")
        if not (isinstance(members, list) and len(members) == 1) or any(is_meaningful(k) for k in schema if k != "allOf"):
            return None
        schema = members[0]
    return None


def is_meaningful(key: str) -> bool:
    """Keys that constrain values, as opposed to annotations and extensions."""
    return key not in ANNOTATIONS and not key.startswith("x-")


def infer_types(schema: dict[str, Any]) -> tuple[str, ...]:
    """Declared types, else the types whose keywords appear, else any scalar."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return (declared,)
    if isinstance(declared, list):
        return tuple(dict.fromkeys(declared))
    fmt = schema.get("format")
    if fmt in _FORMAT_TYPES:
        return (_FORMAT_TYPES[fmt],)
    inferred = [kind for kind, keys in _INFER if any(k in schema for k in keys)]
    if isinstance(fmt, str) and not inferred:
        inferred = ["string"]
    return tuple(inferred) or ANY_TYPES


def discriminator_label(branch: Schema, discriminator: Mapping[str, Any]) -> str | None:
    """The mapping key whose target is this branch's ref, else the ref's schema name."""
    if not isinstance(branch, dict) or not isinstance(branch.get("$ref"), str):
        return None
    ref = branch["$ref"]
    mapping = discriminator.get("mapping") or {}
    for key, target in mapping.items():
        if target == ref or target == ref_name(ref):
            return str(key)
    return ref_name(ref)


def with_discriminator(branch: Schema, discriminator: dict[str, Any]) -> Schema:
    """An inline union branch inherits its parent's discriminator, so its members get labels."""
    if isinstance(branch, dict) and "discriminator" not in branch and ("oneOf" in branch or "anyOf" in branch):
        return {**branch, "discriminator": discriminator}
    return branch


def item_properties(items: dict[str, Any], defs: Mapping[str, Schema]) -> dict[str, Schema]:
    """An item's declared properties; for a union (`Pet: oneOf[Cat, Dog]`), those every branch
    declares alike, so a value drawn again fits whichever branch the item took."""
    properties = merged_properties(items, defs)
    resolved = deref(items, defs)
    for key in ("oneOf", "anyOf"):
        branches = resolved.get(key) if isinstance(resolved, dict) else None
        if isinstance(branches, list) and branches:
            each = [merged_properties(branch, defs) for branch in branches]
            shared = {k: v for k, v in each[0].items() if all(canon(other.get(k)) == canon(v) for other in each[1:])}
            properties = {**shared, **properties}
    return properties
