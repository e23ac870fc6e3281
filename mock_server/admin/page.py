"""`GET /__mock/` and its files: the dashboard, plain HTML, CSS and JavaScript shipped in the package.

No build step, no CDN, no font or script from elsewhere: everything is under `admin/static/`
(package data), read once and kept in memory. The Content-Security-Policy lets the page load and
call nothing but this server, so even a mistake in it cannot reach the network.

The page and its files hold no data, so they are served without the admin token; every data
endpoint it calls needs the token when the mock has one (the page asks for it once).
"""

from __future__ import annotations

import functools
from importlib import resources

from ..behaviours.reply import Reply

STATIC = "static"
PAGE = "index.html"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-cache"),
)


@functools.cache
def static_file(name: str) -> bytes | None:
    """A file of admin/static by its plain name (no folders: nothing outside can be named)."""
    if "/" in name or "\\" in name or name.startswith(".") or not any(name.endswith(s) for s in TYPES):
        return None
    found = resources.files(__package__).joinpath(STATIC, name)
    return found.read_bytes() if found.is_file() else None


def file_reply(name: str) -> Reply | None:
    content = static_file(name)
    if content is None:
        return None
    media_type = TYPES[name[name.rindex("."):]]
    return Reply(200, content, media_type, SECURITY_HEADERS)
