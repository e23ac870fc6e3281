"""Every option of `mock-server check`, as one frozen value validated once."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import SettingsError

DEFAULT_MAX_EXAMPLES = 10
# The stream checks `conformance` adds to schemathesis's own.
STREAM_CHECKS = ("stream_content_type", "stream_event_schema", "stream_termination", "stream_consistency")


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckSettings:
    contracts: tuple[Path, ...] = (Path("openapi"),)
    base_url: str | None = None  # None: start the mock for the run
    operations: tuple[str, ...] = ()  # operationIds; empty: all
    headers: tuple[tuple[str, str], ...] = ()
    api_key: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    token_url: str | None = None
    scopes: tuple[str, ...] = ()  # empty: every scope the contract's scheme declares
    checks: tuple[str, ...] = ()  # empty: all (schemathesis's and the stream checks)
    max_examples: int = DEFAULT_MAX_EXAMPLES
    rate_limit: str | None = None  # "R/s", "R/m", "R/h"
    max_requests: int | None = None
    max_requests_per_operation: int | None = None
    max_time: float | None = None  # seconds
    request_timeout: float = 30.0
    seed: int | None = 0
    dry_run: bool = False
    allow_unexercised: bool = False  # an operation never answered 2xx/3xx does not fail the run
    junit: Path | None = None
    json_report: Path | None = None

    def __post_init__(self) -> None:
        if self.base_url is not None:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SettingsError(f"--base-url: {self.base_url!r} is not an http(s) URL")
        if self.token_url is not None and urlsplit(self.token_url).scheme not in ("http", "https"):
            raise SettingsError(f"--token-url: {self.token_url!r} is not an http(s) URL")
        if self.max_examples < 1:
            raise SettingsError(f"--max-examples: {self.max_examples} must be at least 1")
        if self.max_requests is not None and self.max_requests < 1:
            raise SettingsError(f"--max-requests: {self.max_requests} must be at least 1")
        if self.max_requests_per_operation is not None and self.max_requests_per_operation < 1:
            raise SettingsError(f"--max-requests-per-operation: {self.max_requests_per_operation} must be at least 1")
        if self.max_time is not None and self.max_time <= 0:
            raise SettingsError(f"--max-time: {self.max_time} must be positive (seconds)")
        if self.rate_limit is not None and not re.fullmatch(r"\d+(\.\d+)?/[smh]", self.rate_limit):
            raise SettingsError(f"--rate-limit: {self.rate_limit!r} is not R/s, R/m or R/h (e.g. 5/s)")
        if bool(self.client_id) != bool(self.client_secret):
            raise SettingsError("--client-id and --client-secret go together")
        for name, _ in self.headers:
            if not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
                raise SettingsError(f"--header: {name!r} is not a header name")

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values never to print: every credential, every --header value."""
        values = [self.api_key, self.client_secret, *(value for _, value in self.headers)]
        return tuple(v for v in values if v)

    def wants(self, check: str) -> bool:
        return not self.checks or check in self.checks

    def replace(self, **changes: object) -> CheckSettings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def parse_header(text: str) -> tuple[str, str]:
    """'Name: value' → (name, value)."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise SettingsError(f"--header: {text!r} is not 'Name: value'")
    return name.strip(), value.strip()
