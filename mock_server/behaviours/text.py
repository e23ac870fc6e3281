"""The token count the AI behaviours share, and what they take from a request: seeds, ids, clocks.

No tokenizer can be downloaded at run time, so tokens are approximated by a regular expression
(`TOKEN`): a token is a word of up to 7 letters or digits, a 4-character piece of a longer word, or
one punctuation mark, each with the whitespace before it. That gives about 1.2-1.3 tokens per
English word, close to OpenAI's tokenizers. The pieces join back to the text exactly, so the same
split serves `max_tokens` truncation, `usage` and the stream's deltas (one piece per event): the
three always agree. Generated replies (writing/) come already split, so only prompts and canned
replies are run through `TOKEN` per request.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import orjson

from .context import Context

TOKEN = re.compile(r"\s*(?:\w{1,7}(?!\w)|\w{4}|[^\w\s])|\s+")
FIXED_EPOCH = 1735689600  # 2025-01-01T00:00:00Z: `created` under --clock fixed is this plus an offset
MESSAGE_OVERHEAD = 3  # tokens per chat message for its role and framing (as OpenAI counts)
REPLY_PRIMING = 3  # tokens every chat prompt costs for priming the assistant's reply
TEXT_CACHE_SIZE = 1024  # memoised token counts of prompts: a pure function of the text


def tokens(text: str) -> list[str]:
    """`text` split into tokens; `"".join(tokens(text)) == text`."""
    return TOKEN.findall(text)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def count_tokens(text: str) -> int:
    """Memoised as a number, not as the split: a reply's ~100 token strings cost ~6 KB each to keep,
    and with a new prompt per request the splits filled ~20 MB of memo that nothing read twice."""
    return len(TOKEN.findall(text))


def truncate(text: str, max_tokens: int | None) -> tuple[str, bool]:
    """The first `max_tokens` tokens of `text`, and whether anything was cut."""
    if max_tokens is None:
        return text, False
    pieces = tokens(text)
    if len(pieces) <= max_tokens:
        return text, False
    return "".join(pieces[:max_tokens]), True


def cut_at_stop(text: str, stops: Iterable[str]) -> tuple[str, bool]:
    """`text` before the earliest stop sequence (which is not included), and whether one was found."""
    positions = [text.find(stop) for stop in stops if stop]
    found = [p for p in positions if p >= 0]
    if not found:
        return text, False
    return text[: min(found)], True


def finish(text: str, stops: Iterable[str] = (), max_tokens: int | None = None) -> tuple[str, str]:
    """Apply stop sequences, then the token limit: (final text, OpenAI finish_reason)."""
    text, _ = cut_at_stop(text, stops)
    text, cut = truncate(text, max_tokens)
    return text, "length" if cut else "stop"


def finish_pieces(
    text: str, pieces: Sequence[str], stops: Iterable[str] = (), max_tokens: int | None = None
) -> tuple[str, Sequence[str], str]:
    """`finish` for a text already split into `pieces`: (final text, its pieces, finish_reason).

    Only a stop sequence that is found makes the text be split again (the cut may fall inside a token)."""
    text, stopped = cut_at_stop(text, stops)
    if stopped:
        pieces = tokens(text)
    if max_tokens is not None and len(pieces) > max_tokens:
        pieces = pieces[:max_tokens]
        return "".join(pieces), pieces, "length"
    return text, pieces, "stop"


def content_text(content: Any) -> str:
    """The text of a chat message's content: a string, null, or a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = (part.get("text") for part in content if isinstance(part, dict))
        return " ".join(t for t in texts if isinstance(t, str))
    return ""


def prompt_tokens(messages: Sequence[dict[str, Any]]) -> int:
    """Tokens of a conversation: each message's content and name plus a fixed framing overhead."""
    total = REPLY_PRIMING
    for message in messages:
        total += MESSAGE_OVERHEAD + count_tokens(content_text(message.get("content")))
        if isinstance(message.get("name"), str):
            total += count_tokens(message["name"])
    return total


def derive_seed(context: Context, *material: Any) -> int:
    """A seed that depends only on the run's seed and `material` (not on the rest of the request).

    Reply text is seeded from the conversation alone, so `max_tokens`, `stop` or `stream` change how
    much of the same text is sent, never which text. With `--seed random` or `Prefer: dynamic=true`
    the request's fresh seed is used instead.
    """
    fresh = context.settings.seed is None or context.directive.dynamic
    base = context.seed if fresh else context.settings.seed
    payload = orjson.dumps([base, context.operation.operation_id, *material], option=orjson.OPT_SORT_KEYS)
    return int.from_bytes(hashlib.blake2b(payload, digest_size=8).digest(), "big")


def created(context: Context) -> int:
    """Unix time of a reply: the real clock, or under `--clock fixed` FIXED_EPOCH plus a seeded offset."""
    if context.settings.clock == "real":
        return int(time.time())
    return FIXED_EPOCH + context.seed % 86_400


def request_id(context: Context, length: int = 24) -> str:
    return hashlib.blake2b(context.seed.to_bytes(8, "big"), digest_size=16).hexdigest()[:length]
