"""Which files `serve --watch` watches, and the loop that reloads when they change (watchfiles:
the operating system's file events through Rust's `notify`, polling only where there are none).

Folders of contracts and of recorded examples are watched recursively; a single contract file and
the rules file are watched through their folder, not recursively, so an editor that saves by
writing a new file and renaming it is still seen (and a contract in the project's root does not
make the whole project watched).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from watchfiles import awatch

from ..contracts.loading import CONTRACT_SUFFIXES
from ..serve.pipeline import MockApp
from ..settings import ServeSettings
from .reload import reload

logger = logging.getLogger("mock_server")

QUIET_MS = 100  # changes are gathered until the files have been quiet this long (an editor's burst)


class Watched:
    """The paths of one run's settings, and whether a changed path is one of them."""

    def __init__(self, settings: ServeSettings) -> None:
        self.folders = [p.resolve() for p in settings.contracts if p.is_dir()]
        self.files = {p.resolve() for p in settings.contracts if not p.is_dir()}
        if settings.rules is not None:
            self.files.add(settings.rules.resolve())
        self.examples = settings.examples.resolve() if settings.examples is not None else None

    def recursive_roots(self) -> list[Path]:
        return [*self.folders, *([self.examples] if self.examples is not None else [])]

    def flat_roots(self) -> list[Path]:
        return sorted({path.parent for path in self.files})

    def relevant(self, path: Path) -> bool:
        if path in self.files:
            return True
        if self.examples is not None and path.is_relative_to(self.examples):
            return path.suffix == ".json"
        return path.suffix in CONTRACT_SUFFIXES and any(path.is_relative_to(folder) for folder in self.folders)

    def shown(self, path: Path) -> str:
        """The path as the user named it: relative to the working folder where it can be."""
        with contextlib.suppress(ValueError):
            return str(path.relative_to(Path.cwd().resolve()))
        return str(path)


async def changes(watched: Watched) -> AsyncIterator[list[str]]:
    """Each batch of relevant changes, as the paths that changed."""
    queue: asyncio.Queue[set[str]] = asyncio.Queue()

    async def pump(roots: list[Path], recursive: bool) -> None:
        async for batch in awatch(*roots, recursive=recursive, step=QUIET_MS,
                                  watch_filter=lambda _, path: watched.relevant(Path(path))):
            await queue.put({path for _, path in batch})

    pumps = [asyncio.ensure_future(pump(roots, recursive))
             for roots, recursive in ((watched.recursive_roots(), True), (watched.flat_roots(), False)) if roots]
    try:
        while True:
            paths = await queue.get()
            while not queue.empty():
                paths |= queue.get_nowait()
            yield sorted(watched.shown(Path(path)) for path in paths)
    finally:
        for task in pumps:
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)


async def watch_and_reload(app: MockApp, settings: ServeSettings) -> None:
    """Reload on every relevant change until cancelled (the server stops)."""
    watched = Watched(settings)
    roots = [*watched.recursive_roots(), *watched.flat_roots()]
    logger.info("watching %s for changes", ", ".join(watched.shown(root) for root in roots))
    async for paths in changes(watched):
        await reload(app, settings, paths)
