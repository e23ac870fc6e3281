"""`serve --stateful`: collections that remember what clients did to them.

`POST /pets` stores a pet (its id the client's, else the next one), `GET /pets/7` answers what is
stored (or the declared 404), `GET /pets` lists the stored pets (filtered and paged as
filters.py and paging.py say), `PUT` replaces (and stores a new id), `PATCH` merges (JSON merge patch, or JSON
Patch for `application/json-patch+json`), `DELETE` removes. Which operation does what comes from
contracts/collections.py; the resources live in the `Store`, so workers sharing one store agree.

A stored resource is answered through the answer's own schema (reflect.Plan): declared fields
only (a `writeOnly` one is never shown), fields the schema requires but the resource lacks drawn
from the resource's own seed. `Prefer: code=` / `example=` answers stay stateless.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch
import jsonpointer

from ..contracts.collections import Binding, Role
from ..errors import Conflict, NotFound, RequestInvalid, Unprocessable
from ..generate.fitting import ObjectFit, with_value_at
from ..generate.responses import Exchange
from .context import Context
from .generic import answer as generic_answer
from .reflect import Plan, resource_base
from .reply import Reply

MAX_ID_TRIES = 1000
JSON_PATCH = "application/json-patch+json"


async def stateful_answer(context: Context) -> Reply:
    """The answer of an operation on a collection, from and to the store."""
    reflection = context.reflection
    binding = reflection.binding if reflection is not None else None
    directive = context.directive
    key = binding.collection.key(context.request.path_params) if binding is not None else None
    if reflection is None or binding is None or key is None or directive.status or directive.example:
        return generic_answer(context)
    status = context.responses.success_status()
    response = context.responses.for_status(status)
    media = response.negotiate(context.request.headers.get("accept")) if response is not None else None
    plan = reflection.plan(response.status, media) if response is not None and media is not None \
        and not media.is_event_stream else None
    fit = plan.fit if plan is not None and plan.fit is not None else reflection.collection_fit
    if fit is None:
        return generic_answer(context)
    resources = Resources(context, binding, plan, fit, key)
    orphaned = await resources.missing_parent(binding)
    if orphaned is not None and (binding.role is not Role.LIST or context.operation.declares(404)):
        answered = resources.missing(orphaned)
    else:  # a list under a missing parent, where no 404 is declared: empty
        resources.orphaned = orphaned is not None
        answered = await HANDLERS[binding.role](resources)
    if answered is None:
        return generic_answer(context)
    body, implied, status = answered[0], answered[1], answered[2] or status
    if plan is None:  # the answer shows no resource (204, or a media type it is not kept in)
        return generic_answer(context, status)
    exchange = Exchange(context.request.path, context.request.headers.get("host"), body)  # Location: the stored one
    headers = tuple(response.header_values(context.source, exchange)) if response is not None else ()
    if implied:
        headers = tuple((name, implied.get(name.lower(), value)) for name, value in headers)
    return Reply(status, body, plan.media.wire_type, headers, codec=plan.media.codec)


Answered = tuple[Any, dict[str, str], int | None] | None


class Resources:
    """One request's view of its collection: the store, the concrete key, how resources look."""

    def __init__(self, context: Context, binding: Binding, plan: Plan | None, fit: ObjectFit, key: str) -> None:
        self.context, self.plan, self.fit, self.key = context, plan, fit, key
        self.orphaned = False  # hangs under a resource that is not stored
        self.store = context.state
        self.request = context.request
        collection = binding.collection
        self.id_field = collection.id_field if collection.id_field in fit.fields else None
        self.id_param = collection.id_param if collection.id_param in self.request.path_params else None

    @property
    def path_id(self) -> Any:
        return self.request.path_params.get(self.id_param) if self.id_param else None

    def body_id(self) -> Any:
        body, field = self.request.body, self.fit.field(self.id_field) if self.id_field else None
        if field is None or field.read_only or not isinstance(body, dict) or body.get(field.name) is None:
            return None  # a read-only id is the server's to give
        ok, value = field.fitted(body[field.name])
        return value if ok else None

    async def find(self, ident: Any) -> dict[str, Any] | None:
        return await self.store.find_resource(self.key, str(ident))

    async def save(self, ident: Any, resource: dict[str, Any]) -> bool:
        return await self.store.save_resource(self.key, str(ident), resource)

    def missing(self, ident: Any, where: str | None = None) -> Answered:
        """The declared 404, or (where none is declared) the stateless answer."""
        if self.context.operation.declares(404):
            raise NotFound(f"{self.request.path}: no resource with id {ident} in {where or self.key} "
                           "(create it first; POST /__mock/reset restores the preloaded data)")
        return None

    async def missing_parent(self, binding: Binding) -> Any:
        """The id of a resource this one hangs under that is not stored (a deleted customer's
        orders are gone with it), else None."""
        params = self.request.path_params
        for parent in binding.collection.parents():
            key, ident = parent.key(params), params.get(parent.id_param or "")
            if key is not None and ident is not None and await self.store.find_resource(key, str(ident)) is None:
                self.key = key  # the 404 names the collection that lacks it
                return ident
        return None

    def show(self, resource: dict[str, Any]) -> Any:
        """The answer's body for a stored resource: the item through this answer's schema, in its envelope."""
        plan = self.plan
        if plan is None:
            return None
        item = shown(self.context, plan, self.key, resource)
        path = plan.item_path or ()
        if not path:
            return item
        envelope = plan.media.generator(self.context.source) if plan.media.generator is not None else {}
        return with_value_at(envelope, path, item)

    async def new_id(self) -> Any:
        """The next free id: 1, 2, 3… for integer ids, else drawn from the collection's seed."""
        field = self.fit.field(self.id_field) if self.id_field else None
        if field is None:
            return None
        base = resource_base(self.context)
        for _ in range(MAX_ID_TRIES):
            count = await self.store.increment(f"resource-id:{self.key}")
            ident = field.id_at(base, self.key, count - 1, self.context.source)
            if ident is None:
                return None
            if await self.find(ident) is None:
                return ident
        return None

    def created(self, ident: Any, kept: dict[str, Any] | None = None) -> dict[str, Any]:
        """The resource a create or replace makes: what the client sent plus what the server makes
        (generated from the resource's own seed; `readOnly` fields kept from before a replace)."""
        plan, fit = self.plan, self.fit
        if plan is not None and (plan.item_generator or plan.media.generator) is not None:
            item = plan.fresh(self.context, (self.key, ident if ident is not None else "#new"))
            item = plan.reflect_item(self.context, item if isinstance(item, dict) else {}, ident)
        else:  # the answer shows no resource: keep what was sent
            item = {}
            body = self.request.body
            if isinstance(body, dict):
                fit.overlay(item, body, from_client=True)
        if kept:
            fit.overlay(item, {k: v for k, v in kept.items() if k in fit.read_only_names()}, from_client=False)
        if self.id_field is not None and ident is not None:
            fit.write(item, self.id_field, ident)
        return item


async def create(res: Resources) -> Answered:
    ident = res.body_id()
    if ident is not None and res.context.operation.declares(409) and await res.find(ident) is not None:
        raise Conflict(f"{res.key} already holds a resource with {res.id_field} {ident}")
    if ident is None:
        ident = await res.new_id()
    resource = res.created(ident)
    slot = ident if ident is not None else f"#{await res.store.increment(f'resource-slot:{res.key}')}"
    await res.save(slot, resource)
    return res.show(resource), {}, None


async def read(res: Resources) -> Answered:
    ident = res.path_id
    stored = await res.find(ident)
    if stored is None:
        return res.missing(ident)
    return res.show(stored), {}, None


async def replace(res: Resources) -> Answered:
    ident = res.path_id if res.path_id is not None else res.body_id()
    if ident is None:
        raise RequestInvalid(f"the body names no {res.id_field}: which resource to replace?", param=res.id_field)
    before = await res.find(ident)
    if before is None and res.id_param is None and res.context.operation.declares(404):
        return res.missing(ident)  # PUT /pets {"id": 9}: "update an existing pet"
    resource = res.created(ident, kept=before)
    new = await res.save(ident, resource)
    status = 201 if new and res.context.operation.declares(201) else None
    return res.show(resource), {}, status


async def update(res: Resources) -> Answered:
    ident = res.path_id
    before = await res.find(ident)
    if before is None:
        return res.missing(ident)
    body, fit = res.request.body, res.fit
    if (res.request.media_type or "").lower() == JSON_PATCH and isinstance(body, list):
        try:
            after = jsonpatch.apply_patch(before, body)
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
            raise Conflict(f"the JSON Patch does not apply to {res.request.path}: {exc}") from None
    else:
        changes = dict(body) if isinstance(body, dict) else {}
        if res.plan is not None:  # POST /pet/7?status=sold: a form-like update in the query
            changes.update({field: res.request.query[param] for param, field in res.plan.query_writes
                            if param in res.request.query})
        after = merge_patch(before, {k: v for k, v in changes.items() if k not in fit.read_only_names()})
    if not isinstance(after, dict):
        raise Unprocessable("after this change the resource would not be an object")
    for name in fit.read_only_names():  # the server's fields are the server's
        if name in before:
            after[name] = before[name]
        else:
            after.pop(name, None)
    problem = _problem(fit, after)
    if problem is not None:
        raise Unprocessable(f"after this change the resource would break its schema: {problem}", param=problem)
    await res.save(ident, after)
    return res.show(after), {}, None


def _problem(fit: ObjectFit, resource: dict[str, Any]) -> str | None:
    """The first field of a changed resource its schema refuses (a required one missing included)."""
    for name, value in resource.items():
        field = fit.field(name)
        if field is not None and not field.fitted(value)[0]:
            return name
    return next((name for name in sorted(fit.required) if name not in resource), None)


async def delete(res: Resources) -> Answered:
    ident = res.path_id
    before = await res.find(ident)
    if before is None:
        return res.missing(ident)
    await res.store.delete_resource(res.key, str(ident))
    return res.show(before), {}, None


async def listing(res: Resources) -> Answered:
    plan, context = res.plan, res.context
    if plan is None:
        return None
    query = context.request.query
    stored = await res.store.list_resources(res.key) if not res.orphaned else []
    chosen = [item for item in stored if all(f.holds(item, query) for f in plan.filters)]
    page = plan.page_request(query)
    end = page.offset + page.size if page.size is not None else None
    if plan.max_items is not None:
        end = min(end if end is not None else page.offset + plan.max_items, page.offset + plan.max_items)
    items = [shown(context, plan, res.key, item) for item in chosen[page.offset:end]]
    extra = len(stored)
    while len(items) < plan.min_items:  # the schema wants more than is stored: made up, as stateless
        items.append(plan.listed_item(context, res.key, extra))
        extra += 1
    path = plan.list_path or ()
    envelope = plan.media.generator(context.source) if path and plan.media.generator is not None else None
    body = items if not path else with_value_at(envelope, path, items)
    return body, plan.finish_page(context, body, page, len(chosen), len(items)), None


def shown(context: Context, plan: Plan, key: str, resource: dict[str, Any]) -> Any:
    """A stored resource through an answer's item schema: its declared fields that fit, and any
    required field it lacks drawn from its own seed."""
    fit = plan.fit
    if fit is None:
        return copy.deepcopy(resource)
    ident = resource.get(plan.id_field) if plan.id_field else None
    generator = plan.item_generator or plan.media.generator
    if fit.polymorphic:
        if fit.whole.is_valid(resource) or generator is None:
            return copy.deepcopy(resource)
        return generator(plan.source_for(context, key, ident))
    item: dict[str, Any] = {}
    fit.overlay(item, resource, from_client=False)
    lacking = [name for name in fit.required if name not in item]
    if lacking:
        base = generator(plan.source_for(context, key, ident)) if generator is not None else {}
        for name in lacking:
            if isinstance(base, dict) and name in base:
                item[name] = base[name]
    plan.write_links(context, item, None)  # `/customers/3/orders`: its orders say customer 3
    return item


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: objects merge key by key, `null` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result


HANDLERS = {Role.CREATE: create, Role.READ: read, Role.REPLACE: replace, Role.UPDATE: update, Role.DELETE: delete,
            Role.LIST: listing}
