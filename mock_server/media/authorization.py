"""The `Authorization` header's two common schemes, parsed (RFC 6750 bearer, RFC 7617 basic)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping

TOKEN68 = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")
# Even lenient mode refuses credentials containing these words (e.g. `Bearer expired`, or the probe
# value schemathesis sends to check that authentication is enforced), so 401 paths can be exercised.
REFUSED_WORDS = ("invalid", "expired")


def refused_word(value: str) -> str | None:
    """The refusal word `value` contains, if any."""
    lowered = value.lower()
    return next((word for word in REFUSED_WORDS if word in lowered), None)


def bearer_token(headers: Mapping[str, str]) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not TOKEN68.match(token):
        return None
    return token


def basic_credentials(headers: Mapping[str, str]) -> tuple[str, str] | None:
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return (user, password) if sep else None
