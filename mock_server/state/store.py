"""The one interface to everything a request can change that a later request must see.

Minted tokens, counters (rule sequences, token quotas), deleted resources, the resources of
`serve --stateful`, runtime rules and the request journal live behind `Store`, so that no answer depends on which worker or replica served
the request once the store is shared (a Redis implementation beside `memory.MemoryStore`), and
`/__mock/reset` has one thing to clear.

Every method is a coroutine: a shared store answers over the network. The in-process store never
waits, so awaiting it costs a coroutine call, not a turn of the event loop. A shared store that
cannot be reached raises `errors.StateUnavailable` (a quick 503 in the contract's shape), never hangs.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Mapping, Sequence
from typing import Any, Protocol

from .tokens import MintedToken


class Journaled(Protocol):
    """A journal record: cheap to keep, turned into its (redacted) entry only when read."""

    # (operation key, status answered), or None when no operation was matched: what coverage counts.
    covers: tuple[str, int] | None

    def entry(self) -> dict[str, Any]: ...


class Store(Protocol):
    journal_size: int

    # Life cycle: the server opens the store when it starts and closes it when it stops.
    async def open(self) -> None:
        """Connect and start any background work (idempotent; a store also opens on first use)."""
        ...

    async def close(self) -> None: ...

    async def health(self) -> dict[str, Any]:
        """`{"backend": …, "status": "up" | "down", …}` for `/__mock/health`."""
        ...

    # Counters: rule sequences ("rule:<name>") and token quotas ("quota:<tenant>:input").
    async def increment(self, key: str, amount: int = 1) -> int:
        """Add `amount` and return the new value (atomic in every implementation)."""
        ...

    async def count(self, key: str) -> int: ...

    async def forget_count(self, key: str) -> None: ...

    # Bearer tokens minted by the token endpoint; strict auth accepts only these.
    async def save_token(self, token: str, minted: MintedToken) -> None: ...

    async def find_token(self, token: str) -> MintedToken | None:
        """The token if it was minted here (perhaps expired: the caller says so; a store may forget
        an expired token after a while)."""
        ...

    # Deleted stays deleted: concrete paths a DELETE removed.
    async def mark_deleted(self, path: str) -> None: ...

    async def is_deleted(self, path: str) -> bool: ...

    async def any_deleted(self) -> bool:
        """Whether anything is marked deleted: most runs delete nothing, and then a POST restores nothing."""
        ...

    async def restore(self, paths: Iterable[str]) -> None: ...

    # Resources of `serve --stateful`: JSON objects by collection (a concrete route such as
    # `/v2/users/alice/orders`) and id, listed in the order they were first stored. Every method
    # hands out copies: a caller may change what it got without changing what is stored.
    async def save_resource(self, collection: str, key: str, resource: Mapping[str, Any]) -> bool:
        """Store or replace one resource (a replaced one keeps its place); True when it is new."""
        ...

    async def find_resource(self, collection: str, key: str) -> dict[str, Any] | None: ...

    async def list_resources(self, collection: str) -> list[dict[str, Any]]:
        """The collection's resources, oldest first; [] for a collection never written."""
        ...

    async def delete_resource(self, collection: str, key: str) -> bool:
        """False when there was nothing to delete."""
        ...

    async def preload_resources(self, resources: Mapping[str, Sequence[tuple[str, Mapping[str, Any]]]]) -> bool:
        """Store `{collection: [(key, resource), ...]}` unless a preload happened since the last
        reset (every worker preloads on its first request; a shared store takes the first one).
        True when this call stored them."""
        ...

    # Rules added at run time (`POST /__mock/rules`), raw as posted, in the order they came.
    async def add_rule(self, rule: Mapping[str, Any]) -> bool:
        """False when a runtime rule of that name exists already."""
        ...

    async def remove_rule(self, name: str) -> bool: ...

    async def runtime_rules(self) -> list[dict[str, Any]]: ...

    async def rules_version(self) -> int:
        """Changes whenever the runtime rules change, so compiled copies know to rebuild."""
        ...

    # The request journal, newest last, capped at `journal_size`.
    async def record(self, item: Journaled) -> None: ...

    async def recent(self, limit: int) -> list[dict[str, Any]]:
        """The last `limit` entries, newest first."""
        ...

    def follow(self) -> AsyncGenerator[dict[str, Any], None]:
        """The entries recorded from now on, as they are recorded (a shared store: every worker's and
        replica's), until the caller stops iterating (close it: `contextlib.aclosing`). Recording
        must cost nothing more while nobody follows: the dashboard's live journal reads this."""
        ...

    # Contract coverage: how often each operation answered each status, counted apart from the
    # journal so the counts outlive its cap (`record` counts what an item `covers`).
    async def coverage(self) -> dict[tuple[str, int], int]:
        """(operation key, status) → requests answered so far (since the last reset)."""
        ...

    async def reset(self) -> None:
        """Forget everything above: tokens, counters, deletions, resources (and that they were
        preloaded), runtime rules, the journal, coverage."""
        ...
