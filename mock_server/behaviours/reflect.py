"""Answers that reflect the request, from the contract alone (stateless mode).

`GET /pet/42` answers pet 42; `POST /pet {"id": 77, "name": "Rex"}` answers Rex, id 77, plus
what the server makes (ids, timestamps: `readOnly` fields stay the server's); `GET
/pet/findByStatus?status=sold` lists sold pets; `?limit=2` gives two items and paging fields that
agree (filters.py, paging.py). A resource is generated from a seed of its own (seed, collection,
id), so pet 42 has the same fields in every list and item answer that shows it.

What links to what is compiled once per answer (status, media type) on first use: which response
field a path parameter names, where the item or the list sits in the body, which query
parameters filter or page. A request only generates and writes. Every written value is checked
against its field's schema (generate/fitting.py), so the answer still conforms; a behaviour of
its own (the AI operations) is not reflected: it keeps the last word.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from ..contracts.collections import Binding, Collection, Role, request_schema
from ..contracts.index import Operation
from ..contracts.schema import Schema
from ..contracts.shapes import Path, array_items, find_item, find_list, norm, object_fields, schema_at, unwrap
from ..generate.examples import is_missing, pick_example
from ..generate.fitting import (
    EMPTY,
    ObjectFit,
    apply_json_patch,
    encodable,
    identity_seed,
    trimmed,
    value_at,
    with_value_at,
)
from ..generate.responses import CompiledMedia
from ..generate.source import Source
from ..generate.values import Generator, compile_schema
from .context import Context
from .filters import Filter, compile_filters
from .paging import (
    PageField,
    PageLinks,
    PageRequest,
    Paging,
    compile_page_fields,
    compile_paging,
    fill_page_fields,
    header_values,
    page_values,
)

UNPAGED_TOTAL = (5, 15)  # a stateless list without paging holds this many resources
MAX_TOTAL = 250  # and a paged one at most this many: a page is generated item by item
MATCH_SEARCH = 2  # how far past a collection's end a filter with no match looks for one (× its size)
BODY_METHODS = ("POST", "PUT", "PATCH")
# Fields a server fills in even where a client may send them: identity, bookkeeping, timestamps
SERVER_FIELDS = frozenset({"id", "uuid", "created", "createdat", "createdon", "createddate", "creationdate",
                           "createtime", "updated", "updatedat", "updatedon", "modified", "modifiedat", "lastmodified",
                           "lastupdated", "version", "etag", "revision"})


class Reflection:
    """One operation's reflection: a `Plan` per answer (status, media type), compiled on first use."""

    def __init__(self, operation: Operation, binding: Binding | None, optional: str = "all") -> None:
        self.operation = operation
        self.binding = binding
        self.optional = optional  # `--optional`: every optional property, or each at random
        self._plans: dict[tuple[str, str], Plan | None] = {}
        self._collection_fit: ObjectFit | None = None

    @property
    def collection_fit(self) -> ObjectFit | None:
        """The fields of the collection's resources, for answers that show none (a 204)."""
        collection = self.binding.collection if self.binding is not None else None
        if self._collection_fit is None and collection is not None and collection.schema is not None:
            self._collection_fit = ObjectFit(collection.schema, collection.defs)
        return self._collection_fit

    def plan(self, status: str, media: CompiledMedia) -> Plan | None:
        key = (status, media.media_type)
        if key not in self._plans:
            self._plans[key] = (compile_plan(self.operation, self.binding, media, self.optional)
                                if media.schema is not None else None)
        return self._plans[key]


def collection_key(operation: Operation, binding: Binding | None, path_params: Mapping[str, Any], path: str) -> str:
    """The concrete collection a request is about (`/v2/users/alice/orders`): part of every
    resource's identity, so tenants and parents keep their resources apart."""
    if binding is not None:
        key = binding.collection.key(path_params)
        if key is not None:
            return key
    return path.rstrip("/").rpartition("/")[0] if operation.route.rstrip("/").endswith("}") else path


def resource_base(context: Context) -> int:
    """The seed resources are generated from: the run's seed, unless the request asked for variety."""
    seed = context.settings.seed
    return context.seed if seed is None or context.directive.dynamic else seed


class Plan:
    """How one answer (status, media type) reflects its request; built once, used per request."""

    def __init__(self, operation: Operation, binding: Binding | None, media: CompiledMedia,
                 list_path: Path | None, item_path: Path | None, item_schema: Schema | None, optional: str = "all") -> None:
        defs = operation.response_defs
        self.operation, self.binding, self.media = operation, binding, media
        self.list_path, self.item_path = list_path, item_path
        self.fit = ObjectFit(item_schema, defs) if item_schema is not None else None
        fields = self.fit.fields if self.fit is not None else {}
        collection: Collection | None = binding.collection if binding is not None else None
        path_params = [p.name for p in operation.parameters if p.location == "path"]
        self.id_param = collection.id_param if collection is not None and collection.id_param in path_params else None
        self.id_field = collection.id_field if collection is not None and collection.id_field in fields else None
        if self.id_field is None and "id" in fields and list_path is not None:
            self.id_field = "id"
        self.param_links = tuple((p, _field_named(p, fields)) for p in path_params
                                 if p != self.id_param and _field_named(p, fields) is not None)
        sent = request_schema(operation)
        self.echo = operation.method in BODY_METHODS and sent is not None
        self.unsent = self._unsent(operation, sent)
        self.query_writes = tuple(
            (p.name, _field_named(p.name, fields)) for p in operation.parameters
            if p.location == "query" and operation.method != "GET" and _field_named(p.name, fields) is not None)
        self.item_generator: Generator | None = None
        self._fresh: Generator | bool | None = None
        self.paging: Paging | None = None
        self.filters: tuple[Filter, ...] = ()
        self.page_fields: tuple[PageField, ...] = ()
        self.min_items, self.max_items = 0, None
        if item_schema is not None and (list_path is not None or item_path):
            self.item_generator = compile_schema(item_schema, defs, optional=optional)
        if list_path is not None:
            self.paging = compile_paging(operation)
            self.filters = compile_filters(operation, item_schema, self.paging.names if self.paging else frozenset())
            self.page_fields = compile_page_fields(media.schema, defs, list_path) if list_path else ()
            array = unwrap(schema_at(media.schema, defs, list_path), defs)
            if isinstance(array, dict):
                self.min_items = int(array.get("minItems", 0))
                self.max_items = int(array["maxItems"]) if "maxItems" in array else None

    def _unsent(self, operation: Operation, sent: Schema | None) -> frozenset[str]:
        """Fields a client sets that a create or replace answer leaves empty (`null`, `[]`, `""`) unless it
        sent them: the resource is what was sent plus what the server makes (ids, `readOnly`
        fields, fields the request cannot carry). A field that cannot be empty keeps a generated
        value, as a server's default, so every declared property is still there."""
        replaces = operation.method == "PUT" or (operation.method == "POST" and not operation.route.endswith("}"))
        if not replaces or sent is None or self.fit is None or self.fit.polymorphic:
            return frozenset()
        client = object_fields(sent, operation.request_defs)
        return frozenset(name for name, field in self.fit.fields.items()
                         if name in client and not field.read_only and name != self.id_field
                         and name not in self.fit.required and norm(name) not in SERVER_FIELDS
                         and any(field.check.is_valid(empty) for empty in EMPTY))

    # --- per request -------------------------------------------------------------------------

    def answer(self, context: Context, example: str | None, *, use_examples: bool = True) -> tuple[Any, dict[str, str]]:
        """The body (a declared example, else generated) with the request written in, and header
        values the answer implies (`X-Total-Count`, `Link`)."""
        media = self.media
        examples = dict(media.examples) if use_examples or example is not None else {}  # dynamic: generated
        chosen = pick_example(examples, example)
        generated = is_missing(chosen)
        if self.list_path is not None:
            return self._list(context, None if generated else copy.deepcopy(chosen))
        return self._single(context, None if generated else copy.deepcopy(chosen)), {}

    def identity(self, context: Context) -> tuple[str, Any] | None:
        """(collection key, id) of the resource this request names, by its path or its body."""
        request = context.request
        key = collection_key(self.operation, self.binding, request.path_params, request.path)
        if self.id_param is not None:
            return key, request.path_params[self.id_param]
        body, field = request.body, self.fit.field(self.id_field) if self.fit and self.id_field else None
        if self.echo and field is not None and not field.read_only and isinstance(body, dict):
            ok, ident = field.fitted(body.get(field.name))
            if ok and ident is not None:
                return key, ident  # `POST /pet {"id": 77}`: the client names the resource
        return None

    def source_for(self, context: Context, key: str, ident: Any) -> Source:
        return context.source.reseeded(identity_seed(resource_base(context), key, ident))

    def fresh(self, context: Context, ident: tuple[str, Any] | None) -> Any:
        """The resource before the request is written in: drawn from its own seed where the request
        names one; for a create or replace, without the fields the client sets (`unsent`: sent, they
        are the client's; not sent, they stay empty), which are not worth drawing."""
        if self._fresh is None:
            base = self.item_generator if self.item_path else self.media.generator
            self._fresh = trimmed(base, self.unsent) if base is not None else False
        if self._fresh is False:
            return None
        return self._fresh(self.source_for(context, *ident) if ident is not None else context.source)

    def _single(self, context: Context, chosen: Any) -> Any:
        ident = self.identity(context)
        path = self.item_path or ()
        if chosen is not None:
            body = chosen
        elif not path:
            body = self.fresh(context, ident)
        else:
            body = self.media.generator(context.source) if self.media.generator is not None else None
            if ident is not None or self.unsent:
                body = with_value_at(body, path, self.fresh(context, ident))
        item = value_at(body, path)
        if isinstance(item, dict):
            item = self.reflect_item(context, item, ident[1] if ident else None)
            body = item if not path else with_value_at(body, path, item)
        return body

    def reflect_item(self, context: Context, item: dict[str, Any], ident: Any) -> dict[str, Any]:
        """The path's id and parents, the body's fields, a form-like query's fields, written in."""
        fit, request = self.fit, context.request
        if fit is None:
            return item
        if self.echo and isinstance(request.body, dict):
            if fit.polymorphic:  # the sent object is the resource when it is one of the branches
                if fit.whole.is_valid(request.body) and encodable(request.body):
                    item = fit.completed(copy.deepcopy(request.body), context.source)
            else:
                fit.overlay(item, request.body, from_client=True)
                for name in self.unsent:  # not sent (or sent in a form the answer cannot carry): empty
                    if name not in request.body or name not in item:
                        fit.clear(item, name)
        if self.echo and isinstance(request.body, list) and (request.media_type or "").endswith("json-patch+json"):
            apply_json_patch(fit, item, request.body)
        for param, field in self.query_writes:
            if param in request.query:
                fit.write(item, field, request.query[param])
        self.write_links(context, item, ident)
        return item

    def write_links(self, context: Context, item: dict[str, Any], ident: Any) -> None:
        fit = self.fit
        if fit is None:
            return
        if ident is not None and self.id_field is not None:
            fit.write(item, self.id_field, ident)
        for param, field in self.param_links:
            fit.write(item, field, context.request.path_params[param])

    def page_request(self, query: Mapping[str, Any]) -> PageRequest:
        return self.paging.read(query) if self.paging else PageRequest(0, None, None, False)

    def _list(self, context: Context, chosen: Any) -> tuple[Any, dict[str, str]]:
        request, path = context.request, self.list_path or ()
        page = self.page_request(request.query)
        if chosen is not None:
            body = chosen
            found = value_at(body, path)
            items = found if isinstance(found, list) else []
            total = len(items)
            if page.size is not None:
                items = items[: max(page.size, self.min_items)]
            for index, item in enumerate(items):
                self._fit_listed(context, item, index)
        else:
            body = self.media.generator(context.source) if path and self.media.generator is not None else None
            items, total = self._virtual_page(context, page)
        body = items if not path else with_value_at(body, path, items)
        return body, self.finish_page(context, body, page, total, len(items))

    def finish_page(self, context: Context, body: Any, page: PageRequest, total: int, returned: int) -> dict[str, str]:
        """Paging fields and headers that agree with the page served."""
        request = context.request
        links = PageLinks(request.headers.get("host", "localhost"), request.path,
                          parse_qsl(request.raw_query, keep_blank_values=True), self.paging)
        values = page_values(page, total, returned, self.paging)
        if self.page_fields:
            fill_page_fields(body, self.page_fields, values, links, page)
        return header_values(total, links if self.paging else None, page, values)

    def _fit_listed(self, context: Context, item: Any, index: int) -> None:
        if not isinstance(item, dict) or self.fit is None:
            return
        for found in self.filters:
            found.write(self.fit, item, context.request.query, index)
        self.write_links(context, item, None)

    def _virtual_page(self, context: Context, page: PageRequest) -> tuple[list[Any], int]:
        """A page of a collection that exists only as seeds: resource i of N is generated from its
        id, so every page, filter and item answer agrees about it."""
        request = context.request
        key = collection_key(self.operation, self.binding, request.path_params, request.path)
        base = resource_base(context)
        total = self._virtual_total(base, key)
        query = request.query
        chosen = [f for f in self.filters if f.selectable and f.values(query)]
        end = page.offset + page.size if page.size is not None else None
        if self.max_items is not None:
            end = min(end, page.offset + self.max_items) if end is not None else page.offset + self.max_items
        if chosen:
            matching = self._matching(context, key, total, chosen)
            total = len(matching)
            items = matching[page.offset:end]
        else:
            stop = total if end is None else min(end, total)
            items = [self.listed_item(context, key, i) for i in range(page.offset, stop)]
        extra = total
        while len(items) < self.min_items:  # the schema wants more than there are: more, made to match
            item = self.listed_item(context, key, extra)
            if isinstance(item, dict) and self.fit is not None:
                for found in chosen:
                    found.write(self.fit, item, query, extra)
            items.append(item)
            extra += 1
        for index, item in enumerate(items):
            self._fit_listed(context, item, index)
        return items, max(total, page.offset + len(items) if items else total)

    def _matching(self, context: Context, key: str, total: int, chosen: list[Filter]) -> list[Any]:
        """The collection's resources that pass `chosen`; none passing, the search goes on past
        the collection's end for one (a filtered list is rarely empty in a demo)."""
        query = context.request.query
        matching: list[Any] = []
        for index in range(total * MATCH_SEARCH):
            if index >= total and matching:
                break
            item = self.listed_item(context, key, index)
            if all(f.holds(item, query) for f in chosen):
                matching.append(item)
        return matching

    def _virtual_total(self, base: int, key: str) -> int:
        seed = identity_seed(base, key, "#total")
        if self.paging is None:
            low, high = UNPAGED_TOTAL
            return low + seed % (high - low + 1)
        usual = min(self.paging.usual_size, MAX_TOTAL // 3)
        return usual + 1 + seed % (2 * usual)  # more than one page, at most three

    def listed_item(self, context: Context, key: str, index: int) -> Any:
        """Resource `index` of the collection `key`, generated from its id."""
        if self.item_generator is None:
            return None
        ident = self._id_at(context, key, index)
        item = self.item_generator(self.source_for(context, key, ident if ident is not None else f"#{index}"))
        if ident is not None and isinstance(item, dict) and self.fit is not None and self.id_field is not None:
            self.fit.write(item, self.id_field, ident)
        return item

    def _id_at(self, context: Context, key: str, index: int) -> Any:
        field = self.fit.field(self.id_field) if self.fit is not None and self.id_field else None
        return field.id_at(resource_base(context), key, index, context.source) if field is not None else None


def _field_named(param: str, fields: Mapping[str, Any]) -> str | None:
    """The field a parameter names exactly (or but for case and separators: `user_id`, `userId`)."""
    if param in fields:
        return param
    wanted = norm(param)
    return next((name for name in fields if norm(name) == wanted), None)


def compile_plan(operation: Operation, binding: Binding | None, media: CompiledMedia, optional: str = "all") -> Plan | None:
    """Where the resource(s) sit in this answer; None when there is nothing to reflect."""
    schema, defs = media.schema, operation.response_defs
    if schema is None:
        return None
    lists = (binding is not None and binding.role is Role.LIST) or (
        operation.method == "GET" and not operation.route.rstrip("/").endswith("}"))
    list_path = find_list(schema, defs) if lists else None
    if list_path is not None:
        items = array_items(schema_at(schema, defs, list_path), defs)
        return Plan(operation, binding, media, list_path, None, items, optional)
    id_field = binding.collection.id_field if binding is not None else None
    item_path = find_item(schema, defs, id_field)
    if item_path is None:
        return None
    item_schema = schema_at(schema, defs, item_path)
    if not object_fields(item_schema, defs) and not (binding is not None and item_path == ()):
        return None
    return Plan(operation, binding, media, None, item_path, item_schema, optional)
