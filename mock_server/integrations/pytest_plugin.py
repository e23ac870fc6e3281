"""The pytest plugin (entry point `pytest11: mock_server`): a mock per test, in one line.

    def test_texts(mock_server):                     # the mock on a free port, for this test
        answer = httpx.post(mock_server.url + "/ai-service/acme/texts", ...)
        mock_server.assert_called("POST-ai-generate-description", times=1)

Options (command line, else `[pytest]` ini, else the default):

- `--mock-contracts=PATH` (repeatable), ini `mock_server_contracts` (one path a line, relative to
  the ini file); default `openapi/` under the rootdir;
- `--mock-server-scope=function|session`, ini `mock_server_scope`; default `function`: a fresh
  mock per test; `session`: one mock for the session, reset before each test;
- `--mock-url=URL`, ini `mock_server_url`: drive that running mock (reset before each test)
  instead of starting one.

Every other setting: override the session fixture `mock_server_settings` (a `ServeSettings`) in a
conftest.py, e.g. `return mock_server_settings.replace(auth="strict", api_keys=("k",))`.

Nothing heavy is imported until a test asks for `mock_server`: every pytest session of an
environment with mock-server installed loads this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..settings import ServeSettings
    from .mock_handle import MockServer

SCOPES = ("function", "session")
# Entries the journal of a plugin-started mock keeps: enough that a test's assertions see all of it.
JOURNAL_SIZE = 5000
_CONTRACTS = pytest.StashKey[dict]()  # contract paths → loaded contracts, for the session


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mock-server", "mock-server: the `mock_server` fixture")
    group.addoption("--mock-contracts", action="append", default=None, metavar="PATH",
                    help="contract file or folder for the mock_server fixture (repeatable; default: ./openapi)")
    group.addoption("--mock-server-scope", choices=SCOPES, default=None,
                    help="function: a fresh mock per test (default); session: one mock, reset before each test")
    group.addoption("--mock-url", default=None, metavar="URL",
                    help="drive this running mock instead of starting one (reset before each test)")
    parser.addini("mock_server_contracts", "contract files or folders for the mock_server fixture", type="paths")
    parser.addini("mock_server_scope", "function (default) or session", default="function")
    parser.addini("mock_server_url", "a running mock to drive instead of starting one", default="")


def _option(config: pytest.Config, name: str, ini: str) -> Any:
    value = config.getoption(name)
    return value if value not in (None, []) else config.getini(ini)


def _scope(fixture_name: str, config: pytest.Config) -> str:
    scope = str(_option(config, "mock_server_scope", "mock_server_scope") or "function")
    if scope not in SCOPES:
        raise pytest.UsageError(f"mock_server_scope: {scope!r} is not one of {', '.join(SCOPES)}")
    return scope


def contract_paths(config: pytest.Config) -> tuple[Path, ...]:
    """--mock-contracts (relative to the invocation directory), else the ini's (relative to the
    ini file), else `openapi/` under the rootdir."""
    given = config.getoption("mock_contracts")
    if given:
        return tuple(Path(config.invocation_params.dir, p) for p in given)
    from_ini = config.getini("mock_server_contracts")
    if from_ini:
        return tuple(Path(p) for p in from_ini)
    return (config.rootpath / "openapi",)


@pytest.fixture(scope="session")
def mock_server_settings(pytestconfig: pytest.Config) -> ServeSettings:
    """The settings of the mocks the `mock_server` fixture starts; override to change them."""
    from ..settings import ServeSettings

    return ServeSettings(contracts=contract_paths(pytestconfig), access_log=False, journal_size=JOURNAL_SIZE)


@pytest.fixture(scope=_scope)
def mock_server_base_url(pytestconfig: pytest.Config, mock_server_settings: ServeSettings) -> Iterator[str]:
    """The URL of the mock the `mock_server` fixture drives: started here (per test or per session,
    `mock_server_scope`), unless `--mock-url` names one already running."""
    given = str(_option(pytestconfig, "mock_url", "mock_server_url") or "")
    if given:
        yield given
        return
    from ..app import create_app
    from ..errors import StartupError
    from .thread_server import ThreadServer

    try:
        app = create_app(mock_server_settings, contracts=_loaded(pytestconfig, mock_server_settings))
    except StartupError as exc:
        raise pytest.UsageError(f"mock_server: {exc}") from None
    server = ThreadServer(app)
    yield server.start()
    server.stop()


def _loaded(config: pytest.Config, settings: ServeSettings) -> Any:
    """The contracts, loaded and validated once per session (each test compiles its own app)."""
    from ..contracts.loading import load_contracts

    cache: dict[tuple[Path, ...], Any] = config.stash.setdefault(_CONTRACTS, {})
    if settings.contracts not in cache:
        cache[settings.contracts] = load_contracts(settings.contracts)
    return cache[settings.contracts]


@pytest.fixture
def mock_server(request: pytest.FixtureRequest, mock_server_base_url: str) -> Iterator[MockServer]:
    """The mock for this test: `.url`, `.rule(...)`, `.prefer(...)`, `.requests(...)`,
    `.assert_called(...)`. Its journal starts empty: a shared mock is reset before each test."""
    from .mock_handle import MockServer

    handle = MockServer(mock_server_base_url)
    shared = request.config.getoption("mock_url") or _scope("mock_server", request.config) == "session" or \
        request.config.getini("mock_server_url")
    if shared:
        handle.reset()
    yield handle
    handle.close()
