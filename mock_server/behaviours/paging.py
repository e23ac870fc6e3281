"""Lists cut into pages, with paging fields that agree: `limit` / `pageSize` / `per_page` / `size` /
`top`…, `page`, `offset` / `skip` and cursors (`cursor`, `after`, `pageToken`…) pick the page; the
envelope's `total`, `page`, `next`, `hasMore`, `totalPages`… and the `X-Total-Count` / `Link`
headers are filled to match, and following `next` walks the collection.

Compiled per list operation; stateless answers (reflect.py) and stored collections (stateful.py)
page the same way.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..contracts.index import Operation
from ..contracts.schema import Schema, deref
from ..contracts.shapes import Path, norm, object_fields, types_of
from ..generate.fitting import FieldFit, ObjectFit

SIZE_PARAMS = ("limit", "pagesize", "perpage", "size", "top", "maxresults", "maxitems", "pagelimit", "first",
               "take", "count", "pagelength", "itemsperpage", "resultsperpage")
PAGE_PARAMS = ("page", "pagenumber", "pageno", "pageindex", "pagenum", "currentpage")
OFFSET_PARAMS = ("offset", "skip", "start", "startindex", "from")
CURSOR_PARAMS = ("cursor", "after", "pagetoken", "nexttoken", "continuationtoken", "startingafter", "pagecursor",
                 "marker", "continuation", "nextpagetoken", "starttoken")
DEFAULT_PAGE_SIZE = 10
CURSOR_PREFIX = "offset:"

# Envelope fields by meaning (normalised names)
PAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "total": ("total", "totalcount", "totalitems", "totalelements", "totalresults", "totalrecords", "totalsize",
              "numfound", "totalhits", "count", "totalentries"),
    "page": ("page", "pagenumber", "currentpage", "pageindex", "number", "pageno"),
    "size": ("pagesize", "perpage", "limit", "size", "pagelength", "itemsperpage"),
    "offset": ("offset", "skip", "start", "startindex"),
    "pages": ("totalpages", "pagecount", "lastpage", "pages", "numpages"),
    "more": ("hasmore", "hasnext", "hasnextpage", "more", "hasmoreitems", "hasmoreresults"),
    "fewer": ("hasprevious", "hasprev", "haspreviouspage", "hasprevpage"),
    "next": ("next", "nextpage", "nextlink", "nexturl", "nextcursor", "nextpagetoken", "nexttoken", "nexthref",
             "endcursor", "continuationtoken", "cursor"),
    "prev": ("previous", "prev", "previouspage", "prevpage", "previouslink", "prevlink", "previousurl", "prevcursor",
             "startcursor", "previouscursor", "previouspagetoken", "prevpagetoken"),
    "self": ("self", "selflink", "selfurl", "selfhref", "current"),
    "returned": ("returned", "numberofelements", "itemcount", "pageitems", "resultcount", "countonpage"),
    "first": ("first", "isfirst", "firstpage"),
    "last": ("last", "islast"),
}
MEANINGS = {name: meaning for meaning, names in PAGE_FIELDS.items() for name in names}


@dataclass(frozen=True, slots=True)
class PageRequest:
    offset: int
    size: int | None  # None: everything from `offset`
    page: int | None  # in the client's numbering, when it paged by number
    cursor: bool  # the client pages by cursor


@dataclass(frozen=True, slots=True)
class Paging:
    """A list operation's paging parameters (each optional)."""

    size: str | None = None
    page: str | None = None
    offset: str | None = None
    cursor: str | None = None
    default_size: int | None = None
    max_size: int | None = None
    page_base: int = 1

    @property
    def names(self) -> frozenset[str]:
        return frozenset(n for n in (self.size, self.page, self.offset, self.cursor) if n)

    @property
    def usual_size(self) -> int:
        """The page size when the client names none: the parameter's default, else 10."""
        return self.default_size or DEFAULT_PAGE_SIZE

    def read(self, query: Mapping[str, Any]) -> PageRequest:
        size = _integer(query.get(self.size)) if self.size else None
        if size is None and (self.size or self.page or self.cursor):
            size = self.usual_size
        if size is not None and self.max_size is not None:
            size = min(size, self.max_size)
        size = max(size, 0) if size is not None else None
        page = _integer(query.get(self.page)) if self.page else None
        offset = _integer(query.get(self.offset)) if self.offset else None
        cursor = query.get(self.cursor) if self.cursor else None
        if offset is None and cursor is not None:
            offset = decode_cursor(str(cursor))
        if offset is None and page is not None and size is not None:
            offset = max(page - self.page_base, 0) * size
        if page is None and self.page and size:
            page = (offset or 0) // size + self.page_base
        return PageRequest(max(offset or 0, 0), size, page, cursor is not None)


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def compile_paging(operation: Operation) -> Paging | None:
    found: dict[str, str] = {}
    default_size = max_size = None
    page_base = 1
    for param in operation.parameters:
        if param.location != "query":
            continue
        key = norm(param.name)
        schema = deref(param.schema, operation.request_defs)
        kinds = types_of(schema) if isinstance(schema, dict) else ()
        numeric = "integer" in kinds or "number" in kinds or not kinds
        for role, names in (("size", SIZE_PARAMS), ("page", PAGE_PARAMS), ("offset", OFFSET_PARAMS)):
            if key in names and numeric and role not in found:
                found[role] = param.name
                if role == "size" and isinstance(schema, dict):
                    default_size = _integer(schema.get("default"))
                    max_size = _integer(schema.get("maximum"))
                if role == "page" and isinstance(schema, dict) and schema.get("minimum") == 0:
                    page_base = 0
                break
        else:
            if key in CURSOR_PARAMS and "cursor" not in found and ("string" in kinds or not kinds):
                found["cursor"] = param.name
    if not found:
        return None
    return Paging(found.get("size"), found.get("page"), found.get("offset"), found.get("cursor"),
                  default_size, max_size, page_base)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> int | None:
    """Our own cursors name an offset; any other reads as the first page."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return 0
    if raw.startswith(CURSOR_PREFIX) and raw[len(CURSOR_PREFIX):].isdigit():
        return int(raw[len(CURSOR_PREFIX):])
    return 0


@dataclass(frozen=True, slots=True)
class PageField:
    path: Path  # inside the envelope
    meaning: str
    fit: FieldFit


def compile_page_fields(schema: Schema, defs: Mapping[str, Schema], list_path: Path) -> tuple[PageField, ...]:
    """The envelope's paging fields, by name, at any depth up to 3 (`meta.total`, `links.next`)."""
    out: list[PageField] = []
    taken: set[str] = set()

    def walk(node: Schema, path: Path, depth: int) -> None:
        fit = ObjectFit(node, defs)
        for name, field in fit.fields.items():
            here = (*path, name)
            if here == list_path[: len(here)]:
                continue
            meaning = MEANINGS.get(norm(name))
            if meaning == "page" and object_fields(field.schema, defs):
                meaning = None  # `page: {number, size}`: a container
            if meaning is not None and meaning not in taken:
                taken.add(meaning)
                out.append(PageField(here, meaning, field))
            elif depth < 3 and object_fields(field.schema, defs):
                walk(field.schema, here, depth + 1)

    walk(schema, (), 0)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PageLinks:
    """Where the neighbouring pages are: the request's own URL with another offset, page or cursor."""

    host: str
    path: str
    query: Sequence[tuple[str, str]]
    paging: Paging | None

    def url(self, page: PageRequest, offset: int, *, absolute: bool) -> str:
        paging = self.paging
        replaced: dict[str, str] = {}
        if paging is not None:
            if paging.cursor and (page.cursor or not (paging.offset or paging.page)):
                replaced[paging.cursor] = encode_cursor(offset)
            elif paging.offset:
                replaced[paging.offset] = str(offset)
            elif paging.page and page.size:
                replaced[paging.page] = str(offset // page.size + paging.page_base)
            if paging.size and page.size is not None:
                replaced[paging.size] = str(page.size)
        pairs = [(k, v) for k, v in self.query if k not in replaced] + list(replaced.items())
        query = urlencode(pairs)
        target = f"{self.path}?{query}" if query else self.path
        return f"http://{self.host}{target}" if absolute else target


def page_values(page: PageRequest, total: int, returned: int, paging: Paging | None) -> dict[str, Any]:
    """Every paging fact of one page, by meaning."""
    size = page.size if page.size is not None else max(returned, 1)
    base = paging.page_base if paging is not None else 1
    has_more = page.offset + returned < total
    return {
        "total": total,
        "page": page.page if page.page is not None else page.offset // max(size, 1) + base,
        "size": size,
        "offset": page.offset,
        "pages": math.ceil(total / size) if size else 0,
        "more": has_more,
        "fewer": page.offset > 0,
        "returned": returned,
        "first": page.offset == 0,
        "last": not has_more,
    }


def fill_page_fields(envelope: Any, fields: Sequence[PageField], values: Mapping[str, Any],
                     links: PageLinks | None, page: PageRequest) -> None:
    """Write each paging fact where the envelope declares it and the value fits."""
    if not isinstance(envelope, dict):
        return
    for field in fields:
        holder = envelope
        for key in field.path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if not isinstance(holder, dict):
            continue
        name = field.path[-1]
        for value in _candidates(field, values, links, page):
            ok, fitted = field.fit.fitted(value)
            if ok:
                holder[name] = fitted
                break


def _candidates(field: PageField, values: Mapping[str, Any], links: PageLinks | None, page: PageRequest) -> list[Any]:
    meaning = field.meaning
    if meaning not in ("next", "prev", "self"):
        return [values[meaning]]
    wanted = meaning == "self" or (values["more"] if meaning == "next" else values["fewer"])
    if not wanted or links is None:
        return [None]
    size = values["size"]
    offset = {"next": page.offset + size, "prev": max(page.offset - size, 0)}.get(meaning, page.offset)
    kinds = field.fit.kinds
    nested = field.fit.nested
    out: list[Any] = []
    if nested is not None and "href" in nested.fields:  # HAL: `next: {href: …}`
        out += [{"href": links.url(page, offset, absolute=True)}, {"href": links.url(page, offset, absolute=False)}]
    if "string" in kinds or not kinds:
        if "cursor" in norm(field.path[-1]) or "token" in norm(field.path[-1]):
            out.append(encode_cursor(offset))
        out += [links.url(page, offset, absolute=True), links.url(page, offset, absolute=False), encode_cursor(offset)]
    return out


def header_values(total: int, links: PageLinks | None, page: PageRequest, values: Mapping[str, Any]) -> dict[str, str]:
    """`X-Total-Count`-like and `Link` headers (RFC 8288) for a page: lower-case names."""
    out = {name: str(total) for name in ("x-total-count", "x-total", "total-count", "x-total-items",
                                         "x-pagination-total-count", "x-result-count")}
    if links is not None:
        parts = []
        size = values["size"]
        if values["more"]:
            parts.append(f'<{links.url(page, page.offset + size, absolute=True)}>; rel="next"')
        if values["fewer"]:
            parts.append(f'<{links.url(page, max(page.offset - size, 0), absolute=True)}>; rel="prev"')
        if parts:
            out["link"] = ", ".join(parts)
    return out
