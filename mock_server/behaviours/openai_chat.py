"""`createChatCompletion` (Kodexa, OpenAI-compatible): choices, stop, max_tokens, usage and SSE streams.

The whole answer is decided up front from the request (`plan`), then either sent as one
`chat.completion` object or streamed as `chat.completion.chunk` events in OpenAI's framing, so the
stream's deltas always join to the non-streamed content and both report the same usage.
"""

from __future__ import annotations

import asyncio
from array import array
from bisect import bisect_left
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

from ..media.sse import sse_event
from . import generic, text, writing
from .context import Context
from .registry import Registry
from .reply import LastChunk, Reply

OPERATION_ID = "createChatCompletion"
DONE = "[DONE]"


@dataclass(frozen=True, slots=True)
class Choice:
    content: str
    finish_reason: str
    pieces: Sequence[str] = field(compare=False)  # the content's tokens: its usage and its stream deltas


@dataclass(frozen=True, slots=True)
class Opening:
    """What a stream's first round (each choice's role chunk) needs: known from the request alone."""

    id: str
    created: int
    model: str
    choices: int


@dataclass(frozen=True, slots=True)
class Completion:
    id: str
    created: int
    model: str
    choices: tuple[Choice, ...]
    prompt_tokens: int

    @property
    def opening(self) -> Opening:
        return Opening(self.id, self.created, self.model, len(self.choices))

    @property
    def usage(self) -> dict[str, int]:
        completion_tokens = sum(len(choice.pieces) for choice in self.choices)
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": self.prompt_tokens + completion_tokens,
        }


def register(registry: Registry) -> None:
    registry.register(OPERATION_ID, create_chat_completion)


def create_chat_completion(context: Context) -> Reply:
    if _asks_for_something_else(context):
        return generic.answer(context)
    body = context.request.body
    if body.get("stream"):
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        ttft_s, interval_s = pacing(context)
        head = opening(context)  # one clock reading for every chunk, though the text is composed later
        events = stream_events(head, lambda: plan(context, head), include_usage=include_usage,
                               ttft_s=ttft_s, interval_s=interval_s)
        return Reply(200, None, "text/event-stream", events=events)
    return Reply(200, completion_body(plan(context)), "application/json")


def _asks_for_something_else(context: Context) -> bool:
    """A Prefer/rule status other than the normal one, or a named example: the generic answer."""
    directive = context.directive
    return directive.example is not None or (directive.status is not None and directive.status != 200)


def opening(context: Context) -> Opening:
    """The id, the clock, the model and the number of choices: all a stream's first round shows."""
    body = context.request.body
    return Opening(f"chatcmpl-{text.request_id(context)}", text.created(context), body["model"], body.get("n") or 1)


def plan(context: Context, head: Opening | None = None) -> Completion:
    """Every choice's final text and finish reason, the id, the clock and the prompt's token count."""
    body = context.request.body
    head = head or opening(context)
    messages: list[dict[str, Any]] = body["messages"]
    stops = _stops(body.get("stop"))
    limits = [v for v in (body.get("max_tokens"), body.get("max_completion_tokens")) if v is not None]
    max_tokens = min(limits) if limits else None
    choices = []
    for index in range(head.choices):
        whole, whole_pieces = _reply_text(context, messages, index)
        content, pieces, reason = text.finish_pieces(whole, whole_pieces, stops, max_tokens)
        choices.append(Choice(content, reason, pieces))
    return Completion(head.id, head.created, head.model, tuple(choices), text.prompt_tokens(messages))


def _stops(stop: Any) -> list[str]:
    if isinstance(stop, str):
        return [stop]
    if isinstance(stop, list):
        return [s for s in stop if isinstance(s, str)]
    return []


def _reply_text(context: Context, messages: list[dict[str, Any]], index: int) -> tuple[str, Sequence[str]]:
    """The canned reply of a rule, else the reply the last user message asks for, different per
    choice; with its tokens."""
    if context.directive.reply_text is not None:
        return context.directive.reply_text, text.tokens(context.directive.reply_text)
    conversation = tuple(
        (_ROLES.get(message.get("role"), "user"), text.content_text(message.get("content"))) for message in messages
    )
    reply = writing.write(conversation, text.derive_seed(context, messages, index))
    return reply.text, reply.pieces


_ROLES = {"system": "system", "developer": "system", "assistant": "assistant", "user": "user", "tool": "tool",
          "function": "tool"}


def completion_body(completion: Completion) -> dict[str, Any]:
    return {
        "id": completion.id,
        "object": "chat.completion",
        "created": completion.created,
        "model": completion.model,
        "choices": [
            {
                "index": index,
                "message": {"role": "assistant", "content": choice.content},
                "finish_reason": choice.finish_reason,
                "logprobs": None,
            }
            for index, choice in enumerate(completion.choices)
        ],
        "usage": completion.usage,
    }


def pacing(context: Context) -> tuple[float, float]:
    """(seconds before the first token, seconds between tokens); a rule's values win over the flags."""
    directive, settings = context.directive, context.settings
    ttft_ms = directive.ttft_ms if directive.ttft_ms is not None else settings.ttft_ms
    rate = directive.tokens_per_second if directive.tokens_per_second is not None else settings.tokens_per_second
    return ttft_ms / 1000, (1 / rate if rate else 0.0)


ROLE_DELTA = {"role": "assistant", "content": ""}


def _chunk(head: Opening, choices: list[dict[str, Any]], include_usage: bool, usage: Any = None) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": head.id,
        "object": "chat.completion.chunk",
        "created": head.created,
        "model": head.model,
        "choices": choices,
    }
    if include_usage:
        value["usage"] = usage
    return value


def _delta(index: int, delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
    return {"index": index, "delta": delta, "finish_reason": finish_reason, "logprobs": None}


def opening_round(head: Opening, *, include_usage: bool) -> list[dict[str, Any]]:
    """Round 0: every choice's role chunk."""
    return [_chunk(head, [_delta(index, ROLE_DELTA, None)], include_usage) for index in range(head.choices)]


def chunks(completion: Completion, *, include_usage: bool) -> list[list[dict[str, Any]]]:
    """The stream's chunks in rounds: round r holds the r-th chunk of every choice still going.

    Each choice sends a role chunk, one chunk per token, then an empty delta with its
    finish_reason; choices interleave round by round, as OpenAI's do when n > 1. With
    `include_usage` every chunk has `usage: null` and a last round holds the usage chunk.
    """
    head = completion.opening
    per_choice = [
        [_chunk(head, [_delta(index, {"content": piece}, None)], include_usage) for piece in choice.pieces]
        + [_chunk(head, [_delta(index, {}, choice.finish_reason)], include_usage)]
        for index, choice in enumerate(completion.choices)
    ]
    rounds = [opening_round(head, include_usage=include_usage)]
    rounds += [
        [events[r] for events in per_choice if r < len(events)]
        for r in range(max(len(events) for events in per_choice))
    ]
    if include_usage:
        rounds.append([_chunk(head, [], include_usage, completion.usage)])
    return rounds


# An unpaced stream's rest goes out in writes of at least this many bytes, cut where a round ends.
# Fewer writes were most of a stream's server time (16 rounds a write: ~290 µs a stream; the whole
# rest in one write: ~210 µs). But a stream done in one turn also starved new connections:
# uvloop's libuv accepts one connection per pass of the loop and render.Turns grants one turn per
# pass, so with 100 clients each opening a new connection per stream, ~97 of them waited in the
# listen backlog and the first event came 25-35 ms late (p50). At 8 KB a typical stream (~17 KB)
# takes three turns, and the backlog stays empty.
UNPACED_WRITE_BYTES = 8 * 1024
DONE_EVENT = sse_event(DONE)


def _encode(round_: list[dict[str, Any]]) -> bytes:
    return b"".join(sse_event(event) for event in round_)


@dataclass(frozen=True, slots=True)
class EncodedStream:
    """A stream's events as one bytes object and where each round ends in it: a tenth of the memory
    of a bytes object per round, and a batch of rounds is one slice instead of a join."""

    data: bytes
    ends: array[int]

    @classmethod
    def of(cls, rounds: list[bytes]) -> EncodedStream:
        return cls(b"".join(rounds), array("I", accumulate(len(round_) for round_ in rounds)))

    def span(self, first: int, stop: int) -> bytes:
        """Rounds first..stop-1, back to back."""
        return self.data[self._start(first):self.ends[min(stop, len(self.ends)) - 1]]

    def pieces(self, first: int, size: int) -> list[bytes]:
        """Rounds first..last in pieces of at least `size` bytes (the last may be shorter), each
        cut where a round ends."""
        pieces, start = [], self._start(first)
        while start < len(self.data):
            cut = self.ends[min(bisect_left(self.ends, start + size), len(self.ends) - 1)]
            pieces.append(self.data[start:cut])
            start = cut
        return pieces

    def _start(self, first: int) -> int:
        return self.ends[first - 1] if first else 0


# Memoised streams, ~15 KB each. Clients repeat a few prompts, not thousands: 64 keep the memo
# near 1 MB when every prompt is new (1,024 tuples of per-round bytes took ~21 MB of RSS).
STREAM_MEMO_SIZE = 64


@lru_cache(maxsize=STREAM_MEMO_SIZE)
def encoded_stream(completion: Completion, include_usage: bool) -> EncodedStream:
    """The stream's bytes, round by round. A completion is a pure value, so its encoding is memoised:
    building and encoding ~100 chunks was most of a stream's set-up, and clients repeat requests."""
    return EncodedStream.of([_encode(round_) for round_ in chunks(completion, include_usage=include_usage)])


@lru_cache(maxsize=STREAM_MEMO_SIZE)
def encoded_opening(head: Opening, include_usage: bool) -> bytes:
    return _encode(opening_round(head, include_usage=include_usage))


async def stream_events(
    head: Opening,
    compose: Callable[[], Completion],
    *,
    include_usage: bool,
    ttft_s: float = 0.0,
    interval_s: float = 0.0,
) -> AsyncIterator[bytes]:
    """The SSE bytes, paced: `ttft_s` before the first token, `interval_s` before each later one.

    The first round (each choice's role chunk) needs only the request's id, clock and model, so it
    goes out before `compose` writes the reply: as with a real model, the first event does not wait
    for the text (a new prompt's text took ~0.3 ms to compose, a repeated one's is memoised).
    Unpaced, the rest goes in writes of UNPACED_WRITE_BYTES or more, `[DONE]` with the last: a write
    per event cost most of a stream's time, and render.Turns keeps streams fair.
    Closing this generator (the client went away) stops it with nothing left running.
    """
    if ttft_s:
        await asyncio.sleep(ttft_s)
    yield encoded_opening(head, include_usage)
    stream = encoded_stream(compose(), include_usage)
    if not interval_s:
        *pieces, last = stream.pieces(1, UNPACED_WRITE_BYTES) or [b""]
        for piece in pieces:
            yield piece
        yield LastChunk(last + DONE_EVENT)
        return
    for number in range(1, len(stream.ends)):
        round_ = stream.span(number, number + 1)
        if number >= 2 and b'"content"' in round_:
            await asyncio.sleep(interval_s)
        yield round_
    yield LastChunk(DONE_EVENT)
