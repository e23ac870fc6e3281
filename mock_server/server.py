"""Run the app under uvicorn: the start-up banner, then serve until interrupted."""

from __future__ import annotations

import functools
import gc
import importlib.util
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .contracts import spec_check
from .contracts.loading import discover, load_discovered
from .settings import ServeSettings

if TYPE_CHECKING:
    from .contracts.index import Contract
    from .serve.pipeline import MockApp


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("mock_server")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def event_loop() -> str:
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def uvicorn_options(settings: ServeSettings) -> dict[str, object]:
    """uvloop when installed, and httptools' parser with the mock's read deadlines and connection cap
    (serve/connections.py: uvicorn alone lets idle and half-sent connections stay open forever)."""
    from .serve.connections import configure

    return {
        "host": settings.host,
        "port": settings.port,
        "loop": event_loop(),
        "http": configure(settings.header_timeout, settings.body_timeout, settings.max_connections),
        "log_level": "warning",
        "access_log": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": 2,
    }


# Collect the youngest generation after this many net allocations, not Python's 700. A request
# leaves little cyclic garbage (a connection's protocol and parser refer to each other), but at 700
# the collector ran ~30 times a second under stream load, for ~3% of the CPU and pauses of up to 5 ms
# in the streams' TTFT; at 10,000 it took ~0.3% (32 ms in 10 s).
YOUNG_GENERATION_THRESHOLD = 10_000


def import_server_modules() -> None:
    """uvicorn and what its Config loads for our options (the event loop, our httptools protocol,
    the lifespan), ~35 ms imported while the child validates rather than after its verdicts, where
    they delayed the port."""
    import uvicorn.lifespan.on  # noqa: F401

    from .serve import connections  # noqa: F401  (uvicorn's httptools protocol, with our deadlines)

    importlib.import_module(f"uvicorn.loops.{event_loop()}")


def serving_app(settings: ServeSettings) -> MockApp:
    """The app of a server process: contracts validated by a child process (spec_check), and the
    garbage collector set for a server (see YOUNG_GENERATION_THRESHOLD).

    What start-up built (compiled contracts, Faker's data: ~90k objects) is moved out of the
    collector's sight: each full collection walked them all, a ~60 ms stall every few seconds under
    load that showed as the streams' TTFT p99; they live as long as the process anyway."""
    found = discover(settings.contracts)
    verdicts = spec_check.in_a_child([path for path, _ in found])
    from .app import create_app  # ~0.3 s of imports, while the child validates on the other core
    import_server_modules()

    contracts = load_discovered(found, verdicts=verdicts)
    if settings.engine == "connexion":  # connexion and Flask are imported only here
        from .integrations.connexion.engine import connexion_engine

        app: MockApp = connexion_engine(settings, contracts)
    else:
        app = create_app(settings, contracts=contracts)
    allow_open_files(settings.max_connections)
    if settings.watch:
        from .watch import watch_and_reload

        app.services.append(functools.partial(watch_and_reload, app, settings))
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, older, oldest)
    return app


FILES_BESIDE_CONNECTIONS = 256  # contracts, logs, Redis connections, the listening socket…


def allow_open_files(connections: int) -> None:
    """Raise this process's soft limit of open files (often 1,024) towards the hard limit, so that
    `--max-connections` is what caps connections, not a failing accept()."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + FILES_BESIDE_CONNECTIONS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        except (ValueError, OSError):
            pass


def describe_state(settings: ServeSettings) -> str:
    if settings.state is None:
        return "state in this process"
    from .state.redis import redacted_url

    return f"state shared on {redacted_url(settings.state)}, prefix {settings.state_prefix!r}"


def run(settings: ServeSettings, announce: Callable[[str], None]) -> None:
    from .contracts.summary import contract_table, contract_warnings

    started = time.perf_counter()
    if settings.workers > 1:  # the workers build the app; this process only checks what they will load
        contracts = checked_contracts(settings)
        configure_logging()
        announce(contract_table(contracts))
        for warning in contract_warnings(contracts):
            announce(f"warning: {warning}")
        run_workers(settings, announce, sum(len(contract.operations) for contract in contracts))
        return
    app = serving_app(settings)
    import uvicorn  # already loaded by serving_app, while the contracts were being checked

    configure_logging()
    announce(contract_table(app.contracts))
    for warning in contract_warnings(app.contracts):
        announce(f"warning: {warning}")
    config = uvicorn.Config(app, **uvicorn_options(settings))  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    original_startup = server.startup

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=sockets)  # type: ignore[arg-type]
        port = server.servers[0].sockets[0].getsockname()[1] if server.servers else settings.port
        announce(f"mock-server: serving {len(app.operations)} operations at http://{settings.host}:{port} "
                 f"(ready in {time.perf_counter() - started:.2f}s, {describe_state(settings)}, "
                 f"seed {settings.seed if settings.seed is not None else 'random'})")

    server.startup = startup  # type: ignore[method-assign]
    server.run()


SETTINGS_VARIABLE = "MOCK_SERVER_WORKER_SETTINGS"


def checked_contracts(settings: ServeSettings) -> tuple[Contract, ...]:
    """What each worker will load (contracts, recordings, the rules file), checked once before they
    start, so a mistake stops `serve` with its message instead of every worker; the app itself is
    the workers' to build."""
    from .proxy.recordings import apply_recorded_examples, load_recorded_examples
    from .serve.rules import load_rules

    found = discover(settings.contracts)
    contracts = load_discovered(found, verdicts=spec_check.in_a_child([path for path, _ in found]))
    if settings.examples is not None:
        contracts = apply_recorded_examples(contracts, load_recorded_examples(settings.examples))
    if settings.rules is not None:
        load_rules(settings.rules, [operation for contract in contracts for operation in contract.operations])
    return contracts


def worker_app() -> object:
    """The app of one worker process (uvicorn's factory): settings come from the parent, as JSON."""
    configure_logging()
    return serving_app(ServeSettings.from_json(os.environ[SETTINGS_VARIABLE]))


def run_workers(settings: ServeSettings, announce: Callable[[str], None], operations: int) -> None:
    """N processes on one socket, for machines with more cores; settings refuse more than one worker
    without `--state`, so every worker reads and writes the same shared state."""
    import uvicorn

    os.environ[SETTINGS_VARIABLE] = settings.to_json()
    announce(f"mock-server: serving {operations} operations at http://{settings.host}:{settings.port} "
             f"with {settings.workers} worker processes, {describe_state(settings)}")
    uvicorn.run("mock_server.server:worker_app", factory=True, workers=settings.workers,
                **uvicorn_options(settings))  # type: ignore[arg-type]
