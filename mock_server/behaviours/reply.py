"""What a behaviour returns: a `Reply` (status, headers, and a body or an async iterator of
encoded server-sent events). serve/render.py puts it on the wire, through the body's codec."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..media.codecs import BodyCodec


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any = None
    media_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    events: AsyncIterator[bytes] | None = field(default=None, compare=False)
    # How the body becomes bytes: the codec compiled for the declared response's schema (XML names,
    # multipart parts, file samples); without one, the media type's codec writes it schema-less.
    codec: BodyCodec | None = field(default=None, compare=False)

    def with_headers(self, extra: Iterable[tuple[str, str]]) -> Reply:
        return Reply(self.status, self.body, self.media_type, (*self.headers, *extra), self.events, self.codec)


class LastChunk(bytes):
    """A stream's last chunk, marked by its producer so the end of the body goes out in the same
    write: one syscall and one pass less per stream."""
