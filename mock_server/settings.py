"""Every option of `serve`, as one frozen value built once from flags and MOCK_SERVER_* variables.

Per-request overrides (Prefer header, rules) never change it: they produce a `Directive`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from .errors import SettingsError

AUTH_MODES = ("lenient", "strict")
CLOCKS = ("fixed", "real")
ENGINES = ("mock", "connexion")  # connexion: integrations/connexion/engine.py
OPTIONAL_MODES = ("all", "random")
# Browsers on the developer's own machine: any port of localhost / 127.0.0.1 / [::1].
LOCAL_ORIGINS = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"
STATE_SCHEMES = ("redis://", "rediss://", "unix://")
DEFAULT_STATE_PREFIX = "mock-server"


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server to this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeSettings:
    contracts: tuple[Path, ...] = (Path("openapi"),)
    host: str = "127.0.0.1"
    port: int = 8000
    seed: int | None = 0  # None: a fresh seed per request (`--seed random`)
    auth: str = "lenient"
    api_keys: tuple[str, ...] = ()
    token_ttl: int = 3600
    rules: Path | None = None
    latency_ms: tuple[int, int] = (0, 0)
    error_rate: float = 0.0
    cors_origins: tuple[str, ...] = (LOCAL_ORIGINS,)
    ttft_ms: float = 0.0
    tokens_per_second: float = 0.0
    clock: str = "fixed"
    optional: str = "all"  # optional properties: all present, or each left out at random (robustness tests)
    journal_size: int = 200
    quota_input_tokens: int | None = None
    quota_output_tokens: int | None = None
    examples: Path | None = None
    stateful: bool = False  # collections remember what clients create, change and delete
    data: Path | None = None  # resources a stateful run starts with (and /__mock/reset restores)
    access_log: bool = True
    workers: int = 1
    state: str | None = None  # None: in-process (one worker); redis://host:port/db: shared
    state_prefix: str = DEFAULT_STATE_PREFIX
    admin_token: str | None = None
    admin_open: bool = False
    header_timeout: float = 10.0  # seconds for a request's head (and for a new connection's first byte)
    body_timeout: float = 30.0  # seconds between two pieces of a request's body
    max_connections: int = 4096
    engine: str = "mock"
    watch: bool = False  # reload contracts, rules and recorded examples when their files change

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"--port / MOCK_SERVER_PORT: {self.port} is not a port number (0-65535)")
        if self.auth not in AUTH_MODES:
            raise SettingsError(f"--auth / MOCK_SERVER_AUTH: {self.auth!r} is not one of {', '.join(AUTH_MODES)}")
        if self.engine not in ENGINES:
            raise SettingsError(f"--engine / MOCK_SERVER_ENGINE: {self.engine!r} is not one of {', '.join(ENGINES)}")
        if self.watch and self.engine != "mock":
            raise SettingsError("--watch reloads the default engine only; connexion loads its contracts once "
                                "(drop --watch, or --engine connexion)")
        if self.optional not in OPTIONAL_MODES:
            raise SettingsError(
                f"--optional / MOCK_SERVER_OPTIONAL: {self.optional!r} is not one of {', '.join(OPTIONAL_MODES)}"
            )
        if self.clock not in CLOCKS:
            raise SettingsError(f"--clock / MOCK_SERVER_CLOCK: {self.clock!r} is not one of {', '.join(CLOCKS)}")
        if not 0.0 <= self.error_rate <= 1.0:
            raise SettingsError(f"--error-rate / MOCK_SERVER_ERROR_RATE: {self.error_rate} is not between 0 and 1")
        low, high = self.latency_ms
        if low < 0 or high < low:
            raise SettingsError(f"--latency / MOCK_SERVER_LATENCY: {low}-{high} is not a range of milliseconds")
        if self.token_ttl <= 0:
            raise SettingsError(f"--token-ttl / MOCK_SERVER_TOKEN_TTL: {self.token_ttl} must be positive")
        if self.ttft_ms < 0 or self.tokens_per_second < 0:
            raise SettingsError("--ttft and --tokens-per-second must not be negative")
        if self.data is not None and not self.stateful:
            raise SettingsError("--data / MOCK_SERVER_DATA preloads the resources of --stateful; add --stateful")
        if self.workers < 1:
            raise SettingsError(f"--workers / MOCK_SERVER_WORKERS: {self.workers} must be at least 1")
        if self.state is not None and not self.state.startswith(STATE_SCHEMES):
            raise SettingsError(f"--state / MOCK_SERVER_STATE: {self.state!r} is not a Redis URL "
                                "(redis://host:port/db, rediss://… or unix:///path.sock)")
        if self.workers > 1 and self.state is None:
            raise SettingsError(
                f"--workers {self.workers} needs shared state, or tokens, sequences, quotas, runtime rules and deleted "
                "resources would depend on which worker answers: add --state redis://HOST:PORT/DB (MOCK_SERVER_STATE)")
        if not self.state_prefix or any(c.isspace() for c in self.state_prefix):
            raise SettingsError(f"--state-prefix / MOCK_SERVER_STATE_PREFIX: {self.state_prefix!r} must be a word without spaces")
        if not is_loopback(self.host) and not self.admin_token and not self.admin_open:
            raise SettingsError(
                f"--host {self.host} is reachable from other machines, and anyone reaching it could reset the mock, "
                "change its rules and read its journal: set --admin-token TOKEN (MOCK_SERVER_ADMIN_TOKEN), "
                "or --admin-open to leave /__mock open")
        if self.header_timeout <= 0 or self.body_timeout <= 0:
            raise SettingsError("--header-timeout and --body-timeout must be positive (seconds)")
        if self.max_connections < 1:
            raise SettingsError(f"--max-connections / MOCK_SERVER_MAX_CONNECTIONS: {self.max_connections} must be at least 1")
        for pattern in self.cors_origins:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SettingsError(f"--cors-origin: {pattern!r} is not a regular expression: {exc}") from None

    def to_json(self) -> str:
        """For worker processes: every field, paths as strings."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values["contracts"] = [str(p) for p in self.contracts]
        for name in ("rules", "examples", "data"):
            values[name] = str(values[name]) if values[name] is not None else None
        return json.dumps(values)

    @classmethod
    def from_json(cls, text: str) -> ServeSettings:
        values = json.loads(text)
        values["contracts"] = tuple(Path(p) for p in values["contracts"])
        for name in ("rules", "examples", "data"):
            values[name] = Path(values[name]) if values[name] is not None else None
        for name in ("api_keys", "cors_origins", "latency_ms"):
            values[name] = tuple(values[name])
        return cls(**values)

    def replace(self, **changes: object) -> ServeSettings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


SEED_RANGE = 2**31  # seeds short enough to type back in


def random_seed() -> int:
    """A seed for `--seed random`: drawn once per run and printed, so the run can be replayed."""
    return secrets.randbelow(SEED_RANGE)


def parse_seed(text: str) -> int | None:
    """`random` (None: the caller draws one with `random_seed` and says which); else an integer."""
    if text.strip().lower() == "random":
        return None
    try:
        return int(text)
    except ValueError:
        raise SettingsError(f"--seed / MOCK_SERVER_SEED: {text!r} is neither an integer nor 'random'") from None


def parse_range(text: str, flag: str) -> tuple[int, int]:
    """'800' or '200-900' (milliseconds)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", text)
    if match is None:
        raise SettingsError(f"{flag}: {text!r} is not MS or MIN-MAX milliseconds")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if high < low:
        raise SettingsError(f"{flag}: {text!r}: the maximum is below the minimum")
    return low, high
