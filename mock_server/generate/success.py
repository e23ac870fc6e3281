"""A success answer looks like a success, even where the contract lets it be an error.

Some contracts declare a 2xx body as a union that includes their error shape (amoCRM, written in
TypeSpec: `200: anyOf [AccountInfo, Problem]`). A branch picked by seed would show a frontend an
error where production shows data, so a 2xx/3xx body leaves out the union's error-shaped branches
while another remains. Error-shaped: the schema the operation's own 4xx/5xx/default responses use;
when they declare none, one that looks like an error (RFC 9457 `type` + `title` + `status`/`detail`,
or a component named `Error`, `Problem`, `Fault`, `ApiError`, `ValidationProblem`...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..contracts.index import Operation
from ..contracts.schema import Schema, deref
from .refs import ref_name, resolve_ref

ERROR_NAME = re.compile(r"(error|problem|fault)s?(response|details?|body|info)?$", re.IGNORECASE)
PROBLEM_FIELDS = frozenset({"type", "title"})
MAX_HOPS = 8


def is_success(status: str) -> bool:
    """'200', '2XX', '304': the answers a client treats as data."""
    return status[:1] in ("2", "3")


def error_branch_test(operation: Operation) -> Callable[[Schema], bool]:
    """Whether a union branch is error-shaped for this operation (see the module docstring)."""
    defs = operation.response_defs
    declared = _error_schemas(operation)
    if declared:
        refs = frozenset(ref for schema in declared for ref in _ref_chain(schema, defs))
        shapes = [s for s in (deref(schema, defs) for schema in declared) if isinstance(s, dict) and s.get("properties")]
        return lambda branch: bool(refs.intersection(_ref_chain(branch, defs))) or deref(branch, defs) in shapes
    return lambda branch: _looks_like_error(branch, defs)


def _error_schemas(operation: Operation) -> list[Schema]:
    """The body schemas of the operation's error responses, a union's members one by one."""
    found: list[Schema] = []
    for status, response in operation.responses.items():
        if status[:1] not in ("4", "5") and status != "default":
            continue
        for content in response.content.values():
            schema = content.schema
            if schema is None:
                continue
            found.append(schema)
            resolved = deref(schema, operation.response_defs)
            for key in ("oneOf", "anyOf"):
                members = resolved.get(key) if isinstance(resolved, dict) else None
                found.extend(members if isinstance(members, list) else ())
    return found


def _ref_chain(schema: Any, defs: Mapping[str, Schema]) -> list[str]:
    """The `$ref`s followed from `schema` to what it is (`A` → `B` → the object)."""
    refs: list[str] = []
    for _ in range(MAX_HOPS):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            break
        refs.append(schema["$ref"])
        schema = resolve_ref(schema["$ref"], defs)
    return refs


def _looks_like_error(branch: Schema, defs: Mapping[str, Schema]) -> bool:
    if any(ERROR_NAME.search(ref_name(ref)) for ref in _ref_chain(branch, defs)):
        return True
    resolved = deref(branch, defs)
    properties = resolved.get("properties") if isinstance(resolved, dict) else None
    if not isinstance(properties, dict):
        return False
    return PROBLEM_FIELDS <= properties.keys() and bool({"status", "detail"} & properties.keys())
