"""Response headers as a real server sends them: the contract's example if it gives one, else what
the header means (`Cache-Control: no-cache`, an `ETag`, `Retry-After: 30`, `RateLimit-Remaining`
below `RateLimit-Limit`, `Location` naming the created resource), else a value generated from the
header's schema with its name as the hint. A value from meaning is kept only if the schema accepts it.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import dates, formats, wordlists
from .source import Source
from .values import Generator

LIST_KEYS = ("id", "uuid", "_id", "key")
CACHE_CONTROLS = ("no-cache", "no-store", "private, max-age=0", "public, max-age=60", "public, max-age=3600", "max-age=300")
RATE_LIMITS = (60, 100, 500, 1000, 5000)


@dataclass(frozen=True, slots=True)
class Exchange:
    """What a header may describe about the answer it travels with: the request's path and host, the body."""

    path: str | None = None
    host: str | None = None
    body: Any = None


NO_EXCHANGE = Exchange()


@dataclass(slots=True)
class Drawn:
    """Values several headers of one answer share (`RateLimit-Limit` and `-Remaining` agree)."""

    source: Source
    exchange: Exchange
    limit: int | None = None

    def rate_limit(self) -> int:
        if self.limit is None:
            self.limit = self.source.rng.choice(RATE_LIMITS)
        return self.limit


Meaning = Callable[[Drawn], Any]


def _http_date(kind: str) -> Meaning:
    return lambda d: email.utils.format_datetime(dates.moment(d.source, kind), usegmt=True)


def _now_date(d: Drawn) -> str:
    return email.utils.formatdate(d.source.now, usegmt=True)


def _location(d: Drawn) -> str | None:
    """The created resource's URL: the request's path plus the answer's id, on the request's host."""
    path, body = d.exchange.path, d.exchange.body
    if path is None:
        return None
    ident = next((body[k] for k in LIST_KEYS if isinstance(body, dict) and isinstance(body.get(k), (str, int))), None)
    if ident is not None and not path.rstrip("/").endswith(f"/{ident}"):
        path = f"{path.rstrip('/')}/{ident}"
    return f"http://{d.exchange.host}{path}" if d.exchange.host else path


def _total_count(d: Drawn) -> int:
    body = d.exchange.body
    return len(body) if isinstance(body, list) else d.source.rng.randint(0, 100)


MEANINGS: dict[str, Meaning] = {
    "cache-control": lambda d: d.source.rng.choice(CACHE_CONTROLS),
    "etag": lambda d: f'"{d.source.rng.getrandbits(64):016x}"',
    "last-modified": _http_date("past"),
    "expires": _http_date("future"),
    "date": _now_date,
    "retry-after": lambda d: d.source.rng.randint(1, 120),
    "ratelimit-limit": Drawn.rate_limit,
    "ratelimit-remaining": lambda d: d.source.rng.randint(0, d.rate_limit() - 1),
    "ratelimit-reset": lambda d: d.source.rng.randint(1, 3600),
    "ratelimit-used": lambda d: d.source.rng.randint(1, d.rate_limit()),
    "location": _location,
    "content-location": _location,
    "request-id": lambda d: formats.uuid4(d.source),
    "correlation-id": lambda d: formats.uuid4(d.source),
    "trace-id": lambda d: f"{d.source.rng.getrandbits(128):032x}",
    "traceparent": lambda d: f"00-{d.source.rng.getrandbits(128):032x}-{d.source.rng.getrandbits(64):016x}-01",
    "total-count": _total_count,
    "total": _total_count,
    "content-language": lambda d: d.source.rng.choice(wordlists.LOCALES),
    "content-disposition": lambda d: f'attachment; filename="{d.source.rng.choice(wordlists.FILE_STEMS)}.pdf"',
    "www-authenticate": lambda d: 'Bearer realm="api"',
    "set-cookie": lambda d: f"session={d.source.rng.getrandbits(128):032x}; Path=/; HttpOnly; Secure; SameSite=Lax",
    "vary": lambda d: "Accept-Encoding",
}


def meaning_of(name: str) -> Meaning | None:
    """The meaning of a header name, vendor prefixes and the older spellings folded in
    (`X-RateLimit-Limit`, `X-Rate-Limit-Remaining`, `X-Request-ID`)."""
    key = name.lower().removeprefix("x-").replace("rate-limit", "ratelimit")
    if key == "ratelimit":
        key = "ratelimit-limit"
    return MEANINGS.get(key)


def header_text(value: Any) -> str:
    """A generated header value as it goes on the wire (simple style)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(header_text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{header_text(v)}" for k, v in value.items())
    if value is None:
        return ""
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in str(value))


@dataclass(frozen=True, slots=True)
class CompiledHeader:
    name: str
    required: bool
    generator: Generator
    example: Any = None  # the contract's first example that fits the schema, served as it is
    has_example: bool = False
    meaning: Meaning | None = None
    check: Any = None  # the schema's validator (jsonschema-rs), None where it has none

    def value(self, drawn: Drawn) -> str:
        if self.has_example:
            return header_text(self.example)
        if self.meaning is not None:
            meant = self.meaning(drawn)
            if meant is not None and (self.check is None or self.check.is_valid(meant) or self._valid_text(meant)):
                return header_text(meant)
        return header_text(self.generator(drawn.source))

    def _valid_text(self, meant: Any) -> bool:
        """`Retry-After: 30` meant as a number, declared as a string: its text is what travels."""
        return not isinstance(meant, str) and bool(self.check.is_valid(header_text(meant)))


@dataclass(frozen=True, slots=True)
class HeaderSet:
    headers: tuple[CompiledHeader, ...] = field(default_factory=tuple)

    def values(self, source: Source, exchange: Exchange | None = None) -> list[tuple[str, str]]:
        if not self.headers:
            return []
        drawn = Drawn(source, exchange or NO_EXCHANGE)
        return [(h.name, h.value(drawn)) for h in self.headers]


def first_fitting(examples: tuple[Any, ...], check: Any) -> tuple[Any, bool]:
    for example in examples:
        if check is None or check.is_valid(example):
            return example, True
    return None, False


def compile_header(
    name: str, required: bool, generator: Generator, examples: tuple[Any, ...], check: Any
) -> CompiledHeader:
    example, found = first_fitting(examples, check)
    return CompiledHeader(name, required, generator, example, found, meaning_of(name), check)
