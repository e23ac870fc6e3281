"""Deleted resources stay deleted: the one piece of resource state a stateless mock keeps.

After a successful DELETE of a concrete path, requests to that path get the operation's declared
404 until something PUTs it back or `/__mock/reset` clears the state. Clients can test their
"it is gone" screens, and a stateful contract test (schemathesis' use-after-free check) sees a
consistent API. Operations that declare no 404 are unaffected: the mock never invents a status.
"""

from __future__ import annotations

from .contracts import Operation
from .errors import NotFound
from .state import ServerState

RECREATING_METHODS = ("PUT", "POST")


def check_not_deleted(state: ServerState, operation: Operation, path: str) -> None:
    """A 404 for a path deleted earlier, where the operation declares one."""
    if path in state.deleted and operation.declares(404):
        raise NotFound(f"{path} was deleted by an earlier DELETE (POST /__mock/reset restores it)")


def remember(state: ServerState, operation: Operation, path: str, status: int) -> None:
    """Record what a successful answer did to the resource at `path`."""
    if not 200 <= status < 300 or "{" not in operation.path:
        return
    if operation.method == "DELETE":
        state.deleted.add(path)
    elif operation.method in RECREATING_METHODS:
        state.deleted.discard(path)
