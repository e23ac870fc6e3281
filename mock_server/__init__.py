"""mock_server: an offline mock server and contract tester driven by OpenAPI contracts.

The public surface is what `__all__` lists; everything else is internal and may change. Names are
imported on first use (PEP 562), so `mock-server --help`, `check` and the contract-validating child
process do not pay for the server's imports.
"""

from __future__ import annotations

import importlib as _importlib
from types import ModuleType as _ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .behaviours.bundled import default_behaviours
    from .behaviours.context import Context
    from .behaviours.registry import Registry
    from .behaviours.reply import Reply
    from .contracts.index import Contract, Operation
    from .contracts.loading import load_contracts
    from .errors import (
        ContractLoadError,
        Forbidden,
        ForcedStatus,
        MockServerError,
        NotFound,
        QuotaExceeded,
        RequestError,
        RequestInvalid,
        SettingsError,
        StartupError,
        Unauthorized,
    )
    from .serve.pipeline import MockApp
    from .settings import ServeSettings

_HOME = {
    "MockApp": "serve.pipeline", "create_app": "app",
    "Context": "behaviours.context", "Registry": "behaviours.registry", "default_behaviours": "behaviours.bundled",
    "Contract": "contracts.index", "Operation": "contracts.index", "load_contracts": "contracts.loading",
    "Reply": "behaviours.reply", "ServeSettings": "settings",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'mock_server' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{_HOME.get(name, 'errors')}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names and the submodules imported so far."""
    loaded = {name for name, value in globals().items() if isinstance(value, _ModuleType) and not name.startswith("_")}
    return sorted(loaded | set(__all__))


__all__ = [
    "Context",
    "Contract",
    "ContractLoadError",
    "Forbidden",
    "ForcedStatus",
    "MockApp",
    "MockServerError",
    "NotFound",
    "Operation",
    "QuotaExceeded",
    "Registry",
    "Reply",
    "RequestError",
    "RequestInvalid",
    "ServeSettings",
    "SettingsError",
    "StartupError",
    "Unauthorized",
    "create_app",
    "default_behaviours",
    "load_contracts",
]
