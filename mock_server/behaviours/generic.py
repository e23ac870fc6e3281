"""The answer of every operation without a behaviour of its own: examples first (whole), else
generated; `Prefer: dynamic=true` generates even where examples exist."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..errors import ForcedStatus, RequestInvalid
from ..generate.responses import CompiledMedia, Exchange
from ..media.sse import sse_event
from .context import Context
from .events import paced, plan_events
from .reply import Reply


def answer(context: Context, status: int | None = None) -> Reply:
    """The declared response for `status` (default: the directive's, else the success status)."""
    status = status or context.directive.status or context.responses.success_status()
    if status >= 400:
        raise ForcedStatus(f"{status} was asked for (Prefer or a rule)", status=status, example=context.directive.example)
    response = context.responses.for_status(status)
    if response is None:
        return Reply(status, None, None)
    request = context.request
    exchange = Exchange(request.path, request.headers.get("host"))
    # Nothing acceptable: 406 in the contract's shape (or its declared fallback, as every error)
    media = response.negotiate(request.headers.get("accept"))
    if media is None:
        return Reply(status, None, None, tuple(response.header_values(context.source, exchange)))
    example = context.directive.example
    if example is not None and not _holds(media, example):  # a named example picks its own media type
        holder = next((other for other in response.media.values() if _holds(other, example)), None)
        if holder is None:
            names = ", ".join([*media.examples, *media.streams]) or "none"
            raise RequestInvalid(f"Prefer: example={example} is not declared for {status} {media.media_type}; declared: {names}")
        media = holder
    dynamic = context.directive.dynamic and example is None
    if media.is_event_stream and (example is None or example in media.streams):
        headers = tuple(response.header_values(context.source, exchange))
        return Reply(status, None, media.media_type, headers, events=_stream(context, media, example, dynamic))
    plan = context.reflection.plan(response.status, media) if context.reflection is not None and example is None else None
    implied: dict[str, str] = {}
    if plan is None:
        body = media.body(context.source, example, use_examples=not dynamic)
    else:  # the request written in: path ids, sent fields, filters, pages (reflect.py)
        body, implied = plan.answer(context, example, use_examples=not dynamic)
    headers = tuple(response.header_values(context.source, Exchange(exchange.path, exchange.host, body)))
    if implied:
        headers = tuple((name, implied.get(name.lower(), value)) for name, value in headers)
    return Reply(status, body, media.wire_type, headers, codec=media.codec)


def _holds(media: CompiledMedia, example: str) -> bool:
    return example in media.examples or example in media.streams


def _stream(context: Context, media: CompiledMedia, recorded: str | None, dynamic: bool) -> AsyncIterator[bytes]:
    """A recorded stream (the named one, else the first, unless `dynamic`) replayed event by event,
    else generated events."""
    settings, directive = context.settings, context.directive
    ttft = directive.ttft_ms if directive.ttft_ms is not None else settings.ttft_ms
    rate = directive.tokens_per_second if directive.tokens_per_second is not None else settings.tokens_per_second
    if recorded is not None:
        datas = media.streams.get(recorded)
    else:
        datas = None if dynamic else next(iter(media.streams.values()), None)
    events = [sse_event(data) for data in datas] if datas is not None else plan_events(media, context.source)
    return paced(events, ttft / 1000, 1 / rate if rate else 0.0)


generic = answer
