"""Which operations act on which collection of resources, inferred from paths and schemas alone.

`/pets` + `/pets/{petId}` is one collection: POST to the first creates, GET lists; GET, PUT,
PATCH and DELETE on the second read, replace, merge and remove one pet, known by the field its
path parameter names (`petId` → the pet's `id`). Nested routes (`/users/{u}/orders/{o}`) and
tenant prefixes (`/ai-service/{tenant}/…`) make one collection per parent, by their values.
A GET elsewhere that answers a list of the same component (`/pet/findByStatus`) lists the
collection too. Computed once per contract at start-up; reflection (stateless answers) and
`--stateful` both read it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from .index import Contract, Operation
from .schema import Schema
from .shapes import array_items, find_item, find_list, identity, norm, object_fields, schema_at

TEMPLATE = re.compile(r"\{([^{}]+)\}")
ID_SUFFIXES = ("id", "uuid", "key")  # `petId`, `order_uuid`, `key`: names of an identifier


class Role(enum.Enum):
    CREATE = "create"
    READ = "read"
    LIST = "list"
    REPLACE = "replace"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Collection:
    """A kind of resource kept under one route: `/api/v3/pet`, or `/users/{userId}/orders`."""

    route: str  # the collection's route template, base path included
    id_field: str | None  # the item property that identifies a resource (`id`, `username`)
    id_param: str | None = None  # the item route's parameter that carries it (`petId`)
    kind: str | None = None  # the item schema's `$ref`, when it has one
    schema: Schema | None = field(default=None, compare=False)  # the item schema, in answers
    defs: Mapping[str, Schema] = field(default_factory=dict, compare=False, repr=False)
    parent: Collection | None = field(default=None, compare=False)  # `/customers` for `/customers/{id}/orders`

    def parents(self) -> list[Collection]:
        """The resources this collection hangs under, nearest first."""
        found, parent = [], self.parent
        while parent is not None and len(found) < 8:
            found.append(parent)
            parent = parent.parent
        return found

    def key(self, path_params: Mapping[str, Any]) -> str | None:
        """The concrete collection (`/users/alice/orders`) for a request's path parameters."""
        missing = False

        def fill(match: re.Match[str]) -> str:
            nonlocal missing
            name = match.group(1)
            if name not in path_params:
                missing = True
                return ""
            return quote(str(path_params[name]), safe="")

        concrete = TEMPLATE.sub(fill, self.route)
        return None if missing else concrete


@dataclass(frozen=True, slots=True)
class Binding:
    """What one operation does to its collection."""

    role: Role
    collection: Collection
    id_in_body: bool = False  # PUT on the collection route: the resource says which one it is


def answer_schema(operation: Operation) -> tuple[int, Schema] | None:
    """The (status, schema) of the operation's normal JSON answer: the lowest 2xx that has one."""
    for status in sorted(s for s in operation.responses if s.isdigit() and s.startswith("2")):
        for media_type, content in operation.responses[status].content.items():
            if content.schema is not None and _is_json(media_type):
                return int(status), content.schema
    return None


def request_schema(operation: Operation) -> Schema | None:
    """The schema of the operation's JSON (or form) request body."""
    if operation.request_body is None:
        return None
    for media_type, content in operation.request_body.content.items():
        if content.schema is not None and (_is_json(media_type) or "form-urlencoded" in media_type):
            return content.schema
    return None


def _is_json(media_type: str) -> bool:
    kind = media_type.split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json") and "json-patch" not in kind


def id_field_for(param: str, fields: Iterable[str]) -> str | None:
    """The field a path parameter names: itself (`username`, `slug`), else `id` for an identifier's
    name (`petId`, `order_uuid`, `key`)."""
    names = list(fields)
    if param in names:
        return param
    wanted = norm(param)
    same = [name for name in names if norm(name) == wanted]
    if same:
        return same[0]
    if wanted.endswith(ID_SUFFIXES):
        for candidate in ("id", *(s for s in ID_SUFFIXES if wanted.endswith(s))):
            if candidate in names:
                return candidate
    return None


def _item_route(operation: Operation) -> tuple[str, str] | None:
    """(collection route, id parameter) when the route ends in one templated segment."""
    head, _, last = operation.route.rstrip("/").rpartition("/")
    match = TEMPLATE.fullmatch(last)
    if match is None:
        return None
    return head, match.group(1)


def _item_collection(operation: Operation, route: str, id_param: str) -> Collection:
    """The collection an item route's answer (or request body) describes."""
    found = answer_schema(operation)
    schema = found[1] if found is not None else request_schema(operation)
    defs = operation.response_defs
    if schema is None:
        return Collection(route, None, id_param)
    id_field = id_field_for(id_param, object_fields(schema, defs))
    path = find_item(schema, defs, id_field or "id")
    if path:
        schema = schema_at(schema, defs, path)
        id_field = id_field_for(id_param, object_fields(schema, defs))
    return Collection(route, id_field, id_param, identity(schema, defs), schema, defs)


def _list_kind(operation: Operation) -> tuple[str | None, Schema] | None:
    found = answer_schema(operation)
    if found is None:
        return None
    defs = operation.response_defs
    where = find_list(found[1], defs)
    if where is None:
        return None
    items = array_items(schema_at(found[1], defs, where), defs)
    return identity(items, defs), items


def infer_collections(contract: Contract) -> dict[str, Binding]:
    """operation key → what it does to which collection, for every operation that acts on one."""
    collections: dict[str, Collection] = {}
    bindings: dict[str, Binding] = {}
    for operation in contract.operations:  # item routes first: they say how a resource is known
        item = _item_route(operation)
        if item is None or operation.method not in ("GET", "PUT", "PATCH"):
            continue
        route, param = item
        found = _item_collection(operation, route, param)
        known = collections.get(route)
        if known is None or (known.id_field is None and found.id_field is not None):
            collections[route] = found
    for route in sorted(collections, key=len):  # shortest first: a parent has its own parent already
        collections[route] = with_parent(collections[route], collections)
    kinds: dict[str | None, list[Collection]] = {}  # item schema → its collections (lists find theirs)
    for collection in collections.values():
        kinds.setdefault(collection.kind, []).append(collection)
    for operation in contract.operations:
        item = _item_route(operation)
        if item is not None and item[0] in collections and collections[item[0]].id_param == item[1]:
            role = {"GET": Role.READ, "PUT": Role.REPLACE, "PATCH": Role.UPDATE, "DELETE": Role.DELETE,
                    "POST": Role.UPDATE}.get(operation.method)
            if role is not None:
                bindings[operation.key] = Binding(role, collections[item[0]])
            continue
        binding = _collection_binding(operation, collections, kinds)
        if binding is not None:
            if binding.collection.route not in collections:
                binding = replace(binding, collection=with_parent(binding.collection, collections))
                collections[binding.collection.route] = binding.collection
            bindings[operation.key] = binding
    return bindings


def with_parent(collection: Collection, collections: Mapping[str, Collection]) -> Collection:
    """`/customers/{customerId}/orders` hangs under customer `{customerId}` of `/customers`."""
    owner, _, _ = collection.route.rstrip("/").rpartition("/")
    head, _, last = owner.rpartition("/")
    match = TEMPLATE.fullmatch(last)
    parent = collections.get(head) if match is not None else None
    if parent is None or parent.id_param != match.group(1) or parent.route == collection.route:
        return collection
    return replace(collection, parent=parent)


def _collection_binding(operation: Operation, collections: dict[str, Collection],
                        kinds: Mapping[str | None, list[Collection]]) -> Binding | None:
    route = operation.route.rstrip("/") or "/"
    known = collections.get(route)
    if operation.method == "POST" and request_schema(operation) is not None:
        if known is not None:
            return Binding(Role.CREATE, known)
        found = answer_schema(operation)
        defs = operation.response_defs
        fields = object_fields(found[1], defs) if found is not None else {}
        if found is None or not fields:
            return None
        return Binding(Role.CREATE, Collection(route, "id" if "id" in fields else None, None,
                                               identity(found[1], defs), found[1], defs))
    if operation.method == "PUT" and known is not None and known.id_field is not None:
        body = request_schema(operation)
        if body is not None and known.id_field in object_fields(body, operation.request_defs):
            return Binding(Role.REPLACE, known, id_in_body=True)
        return None
    if operation.method != "GET":
        return None
    listed = _list_kind(operation)
    if listed is None:
        return None
    kind, items = listed
    if known is not None and (known.kind is None or kind is None or known.kind == kind):
        return Binding(Role.LIST, known)
    params = {p.name for p in operation.parameters if p.location == "path"}
    related = [c for c in kinds.get(kind, ()) if set(TEMPLATE.findall(c.route)) <= params] if kind else []
    if related:
        best = max(related, key=lambda c: (route.startswith(c.route + "/"), len(c.route)))
        return Binding(Role.LIST, best)
    defs = operation.response_defs
    fields = object_fields(items, defs)
    return Binding(Role.LIST, Collection(route, "id" if "id" in fields else None, None, kind, items, defs))
