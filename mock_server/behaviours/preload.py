"""`serve --stateful --data FILE`: the resources a run starts with (and `POST /__mock/reset` restores).

The file (YAML or JSON) maps a collection, as a client calls it, to its resources:

    /api/v3/pet:
      - {id: 1, name: Rex, photoUrls: [], status: available}
      - {name: Tom, photoUrls: []}          # no id: the next free one (2)
    /v2/users/alice/orders:
      - {id: 10, quantity: 2}

Read once at start-up and checked against the contracts: an unknown collection, a field its
answers do not declare or a value its schema refuses stops `serve` with the file, the collection,
the resource and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import orjson
import yaml

from ..contracts.collections import TEMPLATE, Binding, Collection
from ..errors import SettingsError
from ..generate.fitting import ObjectFit
from ..generate.source import Source

Preloaded = dict[str, list[tuple[str, dict[str, Any]]]]


def read_data(path: Path, bindings: Iterable[Binding], source: Source, seed: int = 0) -> Preloaded:
    """`{collection: [(id, resource), ...]}` from the file, every resource checked."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = orjson.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise SettingsError(f"--data {path}: cannot be read: {exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise SettingsError(f"--data {path}: expected a mapping of collection paths to lists of resources")
    collections = {b.collection.route: b.collection for b in bindings}
    out: Preloaded = {}
    for where, items in raw.items():
        found = _collection_of(str(where), collections.values())
        if found is None:
            known = ", ".join(sorted(collections)) or "none"
            raise SettingsError(f"--data {path}: {where!r} is no collection of the loaded contracts (they have: {known})")
        if not isinstance(items, list):
            raise SettingsError(f"--data {path}: {where}: expected a list of resources")
        collection, key = found
        out.setdefault(key, []).extend(_resources(path, str(where), collection, items, source, seed))
    return out


def _collection_of(concrete: str, collections: Iterable[Collection]) -> tuple[Collection, str] | None:
    """The collection whose route template matches (the most literal one where several do), and
    the key requests use for it (`/users/alice%20b/orders` for `/users/alice b/orders`)."""
    found: list[tuple[int, Collection, str]] = []
    for collection in collections:
        match = re.fullmatch(_pattern(collection.route), concrete.rstrip("/"))
        if match is None:
            continue
        params = {name: unquote(value) for name, value in zip(TEMPLATE.findall(collection.route), match.groups())}
        key = collection.key(params)
        if key is not None:
            found.append((len(params), collection, key))
    if not found:
        return None
    _, collection, key = min(found, key=lambda entry: entry[0])
    return collection, key


def _pattern(route: str) -> str:
    """`/users/{u}/orders` → a regex: literal parts escaped, each parameter one segment."""
    parts = TEMPLATE.split(route)  # literal, name, literal, name, ...
    return "".join(re.escape(part) if index % 2 == 0 else "([^/]+)" for index, part in enumerate(parts))


def _resources(path: Path, where: str, collection: Collection, items: list[Any], source: Source,
               seed: int) -> list[tuple[str, dict[str, Any]]]:
    fit = ObjectFit(collection.schema, collection.defs) if collection.schema is not None else None
    id_field = collection.id_field
    checked: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise SettingsError(f"--data {path}: {where}[{index}] is not an object")
        resource = dict(item)
        for name, value in item.items():
            field = fit.field(str(name)) if fit is not None else None
            if fit is not None and field is None:
                declared = ", ".join(fit.fields) or "none"
                raise SettingsError(f"--data {path}: {where}[{index}].{name} is not a field of its answers "
                                    f"(declared: {declared})")
            if field is not None:
                ok, fitted = field.fitted(value)
                if not ok:
                    raise SettingsError(f"--data {path}: {where}[{index}].{name}: {value!r} does not match its schema")
                resource[str(name)] = fitted
        checked.append(resource)
    id_fit = fit.field(id_field) if fit is not None and id_field else None
    taken = {str(r[id_field]) for r in checked if id_field and r.get(id_field) is not None}
    out: list[tuple[str, dict[str, Any]]] = []
    counter = 0
    for index, resource in enumerate(checked):
        ident = resource.get(id_field) if id_field else None
        while ident is None and id_fit is not None and counter < len(checked) + len(taken) + 1:
            candidate = id_fit.id_at(seed, where, counter, source)  # 1, 2, 3… skipping the ids given
            counter += 1
            if candidate is not None and str(candidate) not in taken:
                ident = resource[id_fit.name] = candidate
                taken.add(str(candidate))
        out.append((str(ident) if ident is not None else f"#{index + 1}", resource))
    return out
