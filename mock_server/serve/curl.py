"""The curl line that replays a journal entry, credentials already redacted by the caller.

Shown by the dashboard beside each request, so a developer can paste what their app sent into a
terminal. Quoted for POSIX shells (`shlex.quote`); headers a client adds by itself are left out.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import orjson

# Set by curl itself (or meaningless to replay): sending them again would only add noise or conflict.
LEFT_OUT = frozenset({"host", "content-length", "connection", "accept-encoding", "transfer-encoding", "user-agent"})
MAX_BODY_CHARS = 16_384


def curl_line(
    method: str, url: str, headers: Mapping[str, str], body: Any, raw_body: bytes, content_type: str
) -> str:
    """`curl -X METHOD URL -H … --data-raw …`; `body` is the parsed, redacted body (None: use
    `raw_body` as text), so a secret in a JSON or form field never reaches the line."""
    parts = ["curl", "-X", method, shlex.quote(url)]
    for name, value in headers.items():
        if name.lower() not in LEFT_OUT:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    data = _data(body, raw_body, content_type)
    if data is not None:
        parts += ["--data-raw", shlex.quote(data)]
    elif raw_body:
        parts += ["--data-binary", shlex.quote(f"@body-of-{len(raw_body)}-bytes")]
    return " ".join(parts)


def _data(body: Any, raw_body: bytes, content_type: str) -> str | None:
    """The body as text to send again, or None when it is not text (a file: bytes)."""
    if not raw_body:
        return None
    if body is not None and "json" in content_type:
        try:
            text = orjson.dumps(body).decode()
        except TypeError:
            return None
    elif isinstance(body, Mapping) and "x-www-form-urlencoded" in content_type:
        text = urlencode({str(k): v for k, v in body.items()}, doseq=True)
    else:
        try:
            text = raw_body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return text if len(text) <= MAX_BODY_CHARS else None
