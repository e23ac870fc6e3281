"""Deleted resources stay deleted: the one piece of resource state a stateless mock keeps.

With `serve --stateful` the operations of inferred collections keep their resources in the store
instead (behaviours/stateful.py), and this applies only to the others.

After a successful DELETE of a concrete path, requests to that path get the operation's declared
404 until something PUTs it back or `/__mock/reset` clears the state. Clients can test their
"it is gone" screens, and a stateful contract test (schemathesis' use-after-free check) sees a
consistent API. Operations that declare no 404 are unaffected: the mock never invents a status.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..contracts.index import Operation
from ..errors import NotFound
from ..state.store import Store

RECREATING_METHODS = ("PUT", "POST")
MAX_ID_LENGTH = 128


async def check_not_deleted(state: Store, operation: Operation, path: str) -> None:
    """A 404 for a path deleted earlier, where the operation declares one."""
    if operation.declares(404) and await state.is_deleted(path):
        raise NotFound(f"{path} was deleted by an earlier DELETE (POST /__mock/reset restores it)")


async def remember(state: Store, operation: Operation, path: str, status: int, body: Any) -> None:
    """Record what a successful answer did to the resource at `path`.

    A POST to a collection that answers with an identifier recreates `collection/<identifier>`:
    the mock's answers are deterministic, so the same POST can hand out an id deleted before.
    """
    if not 200 <= status < 300:
        return
    if operation.method == "DELETE":
        await state.mark_deleted(path)
    elif operation.method in RECREATING_METHODS and await state.any_deleted():
        recreated = [path]
        if isinstance(body, dict):
            prefix = path.rstrip("/") + "/"
            recreated += [prefix + quote(str(v), safe="") for v in body.values() if _could_be_id(v)]
        await state.restore(recreated)


def _could_be_id(value: Any) -> bool:
    """Identifiers are integers or short strings without spaces (not the prose of a text field)."""
    if isinstance(value, str):
        return len(value) <= MAX_ID_LENGTH and " " not in value
    return isinstance(value, int) and not isinstance(value, bool)
