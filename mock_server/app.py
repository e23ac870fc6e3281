"""`create_app`: the composition root, where the layers meet.

It loads the contracts (contracts/), adds recorded examples (proxy/recordings), builds the serving
pipeline (serve/) with the behaviour registry (behaviours/), and mounts the admin endpoints
(admin/) under `/__mock`. Everything below takes what it needs as arguments, so no package has to
import one above it.
"""

from __future__ import annotations

import functools

from .admin import endpoints as admin
from .behaviours.bundled import default_behaviours
from .behaviours.registry import Registry
from .contracts.index import ADMIN_PREFIX, Contract
from .contracts.loading import load_contracts
from .serve.pipeline import MockApp
from .settings import ServeSettings
from .state.memory import MemoryStore
from .state.store import Store


def create_app(
    settings: ServeSettings | None = None,
    *,
    contracts: tuple[Contract, ...] | None = None,
    behaviours: Registry | None = None,
    app_class: type[MockApp] = MockApp,
    store: Store | None = None,
) -> MockApp:
    """Load (unless given) and compile every contract; the result is a ready ASGI app (an
    `app_class`: `serve --engine connexion` puts connexion behind the mock's front door). `store`:
    the state of a running app, which a reload (`serve --watch`) hands on."""
    settings = settings or ServeSettings()
    if contracts is None:
        contracts = load_contracts(settings.contracts)
    if settings.examples is not None:  # recordings of `mock-server proxy --record`, served examples-first
        from .proxy.recordings import apply_recorded_examples, load_recorded_examples

        contracts = apply_recorded_examples(contracts, load_recorded_examples(settings.examples))
    registry = behaviours if behaviours is not None else default_behaviours()
    app = app_class(settings, contracts, registry, store if store is not None else store_for(settings))
    app.mount(ADMIN_PREFIX, functools.partial(admin.handle, app))
    return app


def store_for(settings: ServeSettings) -> Store:
    """In-process state by default; Redis (imported only then) when `--state` names one."""
    if settings.state is None:
        return MemoryStore(journal_size=settings.journal_size)
    from .state.redis import RedisStore

    return RedisStore(settings.state, prefix=settings.state_prefix, journal_size=settings.journal_size)
