"""mock_server: an offline mock server and contract tester driven by OpenAPI contracts.

The public surface is what `__all__` lists; everything else is internal and may change.
"""

from .app import MockApp, create_app
from .behaviours.registry import Context, Registry, default_behaviours
from .contracts import Contract, Operation, load_contracts
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
from .render import Reply
from .settings import ServeSettings

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
