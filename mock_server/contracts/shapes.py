"""Where the resources are in a body schema: the item object, the list of items, their fields.

Reflection and stateful collections read answers the way a client does: "the pet" is the body
itself or the `data` of an envelope; "the pets" are the body when it is an array, or the one array
of objects in an envelope (`items`, `data`, `results`…) beside its paging fields. Everything here
runs at start-up, over normalised schemas (refs into `defs`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from .schema import Schema, deref, merged_properties

Path = tuple[str, ...]
MAX_DEPTH = 3
# Names an envelope gives its list, most telling first (a bare `tags` array is not a list of resources)
LIST_NAMES = ("items", "data", "results", "content", "records", "entries", "elements", "list", "values", "rows",
              "hits", "resources", "objects", "nodes", "edges", "embedded")
# Names an envelope gives its one resource
ITEM_NAMES = ("data", "item", "result", "resource", "object", "entity", "record")
PAGING_FIELDS = frozenset({
    "total", "totalcount", "totalitems", "totalelements", "totalresults", "totalrecords", "count", "page",
    "pagenumber", "pagesize", "perpage", "limit", "offset", "next", "nextpage", "nextcursor", "nextpagetoken",
    "nexttoken", "cursor", "hasmore", "hasnext", "hasnextpage", "totalpages", "links", "pagination", "meta", "paging",
    "pageinfo", "previous", "prev",
})


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=4096)
def norm(name: str) -> str:
    """`page_size`, `pageSize` and `Page-Size` are one name."""
    return _NOT_ALNUM.sub("", name.lower())


def unwrap(schema: Any, defs: Mapping[str, Schema]) -> Any:
    """Refs followed and a nullable union (`anyOf: [X, null]`) reduced to X: the shape a value has."""
    for _ in range(8):
        schema = deref(schema, defs)
        if not isinstance(schema, dict):
            return schema
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if isinstance(branches, list):
                real = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
                if len(real) == 1 and len(real) < len(branches):
                    schema = real[0]
                    break
        else:
            members = schema.get("allOf")
            if isinstance(members, list) and len(members) == 1 and not schema.get("properties"):
                schema = members[0]
                continue
            return schema
    return schema


def identity(schema: Any, defs: Mapping[str, Schema]) -> str | None:
    """The component an (item) schema is, by its `$ref`: how a list's items and an item answer are
    known to be one kind of resource."""
    for _ in range(8):
        if not isinstance(schema, dict):
            return None
        if isinstance(schema.get("$ref"), str):
            return str(schema["$ref"])
        nxt = None
        for key in ("anyOf", "oneOf", "allOf"):
            branches = schema.get(key)
            if isinstance(branches, list):
                real = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
                if len(real) == 1:
                    nxt = real[0]
                    break
        if nxt is None:
            return None
        schema = nxt
    return None


def types_of(schema: Any) -> tuple[str, ...]:
    kind = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(kind, str):
        return (kind,)
    return tuple(kind) if isinstance(kind, list) else ()


def is_polymorphic(schema: Any, defs: Mapping[str, Schema]) -> bool:
    """oneOf/anyOf between real alternatives: its fields depend on the branch."""
    return _branches(unwrap(schema, defs))


def _branches(shape: Any) -> bool:
    return isinstance(shape, dict) and any(isinstance(shape.get(k), list) for k in ("oneOf", "anyOf"))


def object_fields(schema: Any, defs: Mapping[str, Schema]) -> dict[str, Schema]:
    """An object schema's declared properties (allOf members merged); {} for anything else."""
    shape = unwrap(schema, defs)
    if not isinstance(shape, dict) or _branches(shape):
        return {}
    kinds = types_of(shape)
    if kinds and "object" not in kinds:
        return {}
    return merged_properties(shape, defs)


def required_fields(schema: Any, defs: Mapping[str, Schema]) -> frozenset[str]:
    """An object schema's required properties, those of allOf members included."""
    shape = unwrap(schema, defs)
    if not isinstance(shape, dict):
        return frozenset()
    found = {name for name in shape.get("required") or () if isinstance(name, str)}
    for member in shape.get("allOf") or ():
        found |= required_fields(member, defs)
    return frozenset(found)


def array_items(schema: Any, defs: Mapping[str, Schema]) -> Any | None:
    """The items schema of an array schema, else None."""
    shape = unwrap(schema, defs)
    if not isinstance(shape, dict):
        return None
    kinds = types_of(shape)
    if "array" not in kinds and not (not kinds and "items" in shape):
        return None
    items = shape.get("items")
    return items if isinstance(items, dict) else None


def is_object_array(schema: Any, defs: Mapping[str, Schema]) -> bool:
    items = array_items(schema, defs)
    return items is not None and (bool(object_fields(items, defs)) or is_polymorphic(items, defs))


def find_list(schema: Any, defs: Mapping[str, Schema]) -> Path | None:
    """Where a list answer keeps its items: () for a bare array, else the envelope's list field.

    An object counts as an envelope only when it says so: its list has a list's name (`items`,
    `data`…) or it has paging fields beside it; a pet's `tags` do not make a pet a list."""
    if is_object_array(schema, defs):
        return ()
    return _find_in_envelope(schema, defs, 0)


def _find_in_envelope(schema: Any, defs: Mapping[str, Schema], depth: int) -> Path | None:
    fields = object_fields(schema, defs)
    if not fields or depth >= MAX_DEPTH:
        return None
    names = {name: norm(name).lstrip("_") for name in fields}
    paged = any(short in PAGING_FIELDS for short in names.values())
    envelope_names = [name for name, short in names.items() if short in LIST_NAMES or short in ITEM_NAMES]
    if not (paged or envelope_names or len(fields) == 1):
        return None  # nothing says envelope: not worth looking at the arrays (start-up time, big contracts)
    arrays = [name for name, sub in fields.items() if is_object_array(sub, defs)]
    named = [name for name in arrays if names[name] in LIST_NAMES]
    if len(named) == 1:
        return (named[0],)
    if len(arrays) == 1 and (paged or len(fields) == 1):
        return (arrays[0],)
    if arrays:
        return None
    nested = [(name, fields[name]) for name in envelope_names]
    for name, sub in nested:
        found = _find_in_envelope(sub, defs, depth + 1)
        if found is not None:
            return (name, *found)
    return None


def schema_at(schema: Any, defs: Mapping[str, Schema], path: Path) -> Any:
    """The schema of the value at `path` (object keys) inside a value of `schema`."""
    for key in path:
        schema = object_fields(schema, defs).get(key, {})
    return schema


def find_item(schema: Any, defs: Mapping[str, Schema], field: str | None) -> Path | None:
    """Where a single-resource answer keeps the resource: () for the body itself, else the path of
    the one nested object (an envelope's `data`) that has `field`; None when that is ambiguous."""
    fields = object_fields(schema, defs)
    if not fields:
        return () if is_polymorphic(schema, defs) else None
    if field is None or field in fields:
        return ()
    level: list[tuple[Path, Any]] = [((), schema)]
    for _ in range(MAX_DEPTH):
        nxt: list[tuple[Path, Any]] = []
        for path, sub in level:
            for name, child in object_fields(sub, defs).items():
                if object_fields(child, defs):
                    nxt.append(((*path, name), child))
        holders = [path for path, sub in nxt if field in object_fields(sub, defs)]
        if len(holders) == 1:
            return holders[0]
        if holders or not nxt:
            return None
        level = nxt
    return None
