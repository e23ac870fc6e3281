"""The mock inside other tools' worlds: a pytest plugin for users' own test suites.

Owns: `pytest_plugin` (the `mock_server` fixture and its options, registered as the `pytest11`
entry point `mock_server`), `mock_handle` (what a test holds: the URL, rules for a block, the
Prefer header, the journal as recorded exchanges, call assertions; HTTP only, so it drives a mock
started for the test or one already running elsewhere), `thread_server` (an app served on a free
port from a thread of the test process) and `contract_tests` (`mock-server check` as one pytest
test per operation).

Sits on top of the composition root: may import `app`, `check` and everything below; may not
import `server` or `cli`. Importing the plugin module costs nothing beyond pytest: every pytest
session of an environment with mock-server installed loads it, so heavy imports wait for a fixture.
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .contract_tests import contract_tests
    from .mock_handle import Exchange, JournalFull, MockServer, RuleRejected

_HOME = {"contract_tests": "contract_tests", "Exchange": "mock_handle", "JournalFull": "mock_handle",
         "MockServer": "mock_handle", "RuleRejected": "mock_handle"}
__all__ = ["Exchange", "JournalFull", "MockServer", "RuleRejected", "contract_tests"]


def __getattr__(name: str) -> Any:
    """Imported on first use (PEP 562): loading the plugin must not load the check."""
    if name not in _HOME:
        raise AttributeError(f"module 'mock_server.integrations' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value
