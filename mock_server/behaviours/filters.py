"""Query parameters that filter a list: `status=sold` → every pet sold, `tags=a` → every pet tagged
`a`, `q=rex` → the term in every item's main text field (`name`, `title`…).

Compiled per list operation from its query parameters and its items' schema. A filter either
holds for an item (stored lists keep the items it holds for; stateless lists choose them, where
the domain is small enough: an enum, a boolean) or is written into a generated item (a search
term, a free value), where the value fits the field's schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..contracts.index import Operation
from ..contracts.schema import Schema
from ..contracts.shapes import array_items, norm, object_fields, types_of, unwrap
from ..generate.fitting import FieldFit, ObjectFit

SEARCH_PARAMS = ("q", "query", "search", "term", "keyword", "keywords", "text", "searchterm", "searchtext", "filter")
TEXT_FIELDS = ("name", "title", "displayname", "label", "summary", "subject", "headline", "description", "text")
LABEL_FIELDS = ("name", "label", "title", "value", "key", "tag", "slug")


@dataclass(frozen=True, slots=True)
class Filter:
    """A query parameter that names a field of the items."""

    param: str
    field: str
    kind: str  # "equal", "contains" (array of scalars), "labelled" (array of objects), "search"
    label: str | None = None  # for "labelled": the objects' field that holds the value
    selectable: bool = False  # equality on a small domain (enum, boolean): items can be chosen, not edited

    def values(self, query: Mapping[str, Any]) -> list[Any]:
        value = query.get(self.param)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        if self.kind != "search" and len(values) == 1 and isinstance(values[0], str) and "," in values[0]:
            values = [v for v in values[0].split(",") if v]  # `status=available,sold`
        return [v for v in values if v != ""]

    def holds(self, item: Any, query: Mapping[str, Any]) -> bool:
        """Whether a stored (or generated) item passes this filter."""
        wanted = self.values(query)
        if not wanted or not isinstance(item, dict):
            return True
        have = item.get(self.field)
        if self.kind == "equal":
            return any(_same(have, w) for w in wanted)
        if self.kind == "contains":
            return isinstance(have, list) and any(_same(h, w) for h in have for w in wanted)
        if self.kind == "labelled":
            return isinstance(have, list) and any(
                isinstance(h, dict) and _same(h.get(self.label), w) for h in have for w in wanted)
        text = str(have or "").lower()
        return all(str(w).lower() in text for w in wanted)

    def write(self, fit: ObjectFit, item: dict[str, Any], query: Mapping[str, Any], index: int) -> None:
        """Make a generated item pass: the value written where it fits the schema."""
        wanted = self.values(query)
        if not wanted or self.holds(item, query):
            return
        value = wanted[index % len(wanted)]
        field = fit.field(self.field)
        if field is None:
            return
        have = item.get(self.field)
        if self.kind == "equal":
            fit.write(item, self.field, value)
        elif self.kind == "contains":
            fit.write(item, self.field, [value, *(have if isinstance(have, list) else [])])
        elif self.kind == "labelled":
            _write_labelled(field, item, self.field, self.label or "name", value)
        else:
            base = have if isinstance(have, str) else ""
            for text in (f"{value} {base}".strip(), str(value)):
                if fit.write(item, self.field, text):
                    return


def _write_labelled(field: FieldFit, item: dict[str, Any], name: str, label: str, value: Any) -> None:
    have = item.get(name) if isinstance(item.get(name), list) else []
    first = have[0] if have and isinstance(have[0], dict) else None
    candidates = [[{**first, label: value}, *have[1:]]] if first is not None else []
    candidates.append([{label: value}, *have])  # `tags: [{name: puppy}, …]`
    for candidate in candidates:
        ok, fitted = field.fitted(candidate)
        if ok:
            item[name] = fitted
            return


def _same(have: Any, wanted: Any) -> bool:
    if have == wanted:
        return True
    return have is not None and not isinstance(have, (dict, list)) and str(have).lower() == str(wanted).lower()


def compile_filters(operation: Operation, items: Schema | None, paging_params: frozenset[str]) -> tuple[Filter, ...]:
    """The query parameters of a list operation that filter its items."""
    defs = operation.response_defs
    fields = object_fields(items, defs) if items is not None else {}
    if not fields:
        return ()
    by_norm = {norm(name): name for name in fields}
    out: list[Filter] = []
    for param in operation.parameters:
        if param.location != "query" or param.name in paging_params:
            continue
        key = norm(param.name)
        name = by_norm.get(key) or by_norm.get(key + "s") or (by_norm.get(key[:-1]) if key.endswith("s") else None)
        if name is None and key in SEARCH_PARAMS:
            name = next((by_norm[t] for t in TEXT_FIELDS if t in by_norm and _is_text(fields[by_norm[t]], defs)), None)
            if name is not None:
                out.append(Filter(param.name, name, "search"))
            continue
        if name is None:
            continue
        found = _filter_for(param.name, name, fields[name], defs)
        if found is not None:
            out.append(found)
    return tuple(out)


def _is_text(schema: Schema, defs: Mapping[str, Schema]) -> bool:
    shape = unwrap(schema, defs)
    return isinstance(shape, dict) and "string" in types_of(shape) and "enum" not in shape and "format" not in shape


def _filter_for(param: str, name: str, schema: Schema, defs: Mapping[str, Schema]) -> Filter | None:
    shape = unwrap(schema, defs)
    if not isinstance(shape, dict):
        return None
    items = array_items(shape, defs)
    if items is not None:
        labels = object_fields(items, defs)
        if labels:
            label = next((n for n in labels if norm(n) in LABEL_FIELDS), None)
            return Filter(param, name, "labelled", label) if label else None
        return Filter(param, name, "contains")
    kinds = types_of(shape)
    if "object" in kinds or "array" in kinds:
        return None
    small = isinstance(shape.get("enum"), list) or kinds == ("boolean",) or "const" in shape
    return Filter(param, name, "equal", selectable=small)
