"""Reply text for the AI behaviours: deterministic prose, and the one token count they all share.

No tokenizer can be downloaded at run time, so tokens are approximated by a regular expression
(`TOKEN`): a token is a word of up to 7 letters or digits, a 4-character piece of a longer word, or
one punctuation mark, each with the whitespace before it. That gives about 1.2-1.3 tokens per
English word, close to OpenAI's tokenizers. The pieces join back to the text exactly, so the same
split serves `max_tokens` truncation, `usage` and the stream's deltas (one piece per event): the
three always agree.
"""

from __future__ import annotations

import hashlib
import re
import string
import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import orjson
from faker import Faker

from ..generate.source import Source
from .context import Context

TOKEN = re.compile(r"\s*(?:\w{1,7}(?!\w)|\w{4}|[^\w\s])|\s+")
FIXED_EPOCH = 1735689600  # 2025-01-01T00:00:00Z: `created` under --clock fixed is this plus an offset
MESSAGE_OVERHEAD = 3  # tokens per chat message for its role and framing (as OpenAI counts)
REPLY_PRIMING = 3  # tokens every chat prompt costs for priming the assistant's reply
TEXT_CACHE_SIZE = 1024  # memoised texts and token counts: both are pure functions of their inputs


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


# --- the subject of a prompt -------------------------------------------------------------------

_LEAD_IN = re.compile(r"\b(?:about|for|of|describing|called|named)\s+", re.IGNORECASE)
_CLAUSE_END = re.compile(
    r"\s+(?:based|for|in|on|with|by|that|which|who|using|from|to|into|and then|so)\b|[,.;:!?\n]", re.IGNORECASE
)
_FILLER = {
    "a", "an", "the", "this", "our", "my", "your", "please", "write", "generate", "create", "creating",
    "describe", "describing", "summarise", "summarize", "summarising", "summarizing", "explain", "give",
    "make", "draft", "compose", "produce", "short", "brief", "long", "product", "description", "text",
    "me", "us", "some", "new", "tell", "about", "what", "is", "are", "how", "why", "can", "you",
}
_ARTICLES = {"a", "an", "the", "this", "our", "my", "your", "some"}


def subject_of(prompt: str, default: str = "this product") -> str:
    """The thing a prompt is about: 'Write a description for a red bicycle' → 'red bicycle'."""
    text = prompt.strip()
    lead = _LEAD_IN.search(text)
    if lead is not None and _CLAUSE_END.match(text, lead.end()) is None:
        text = text[lead.end():]
    end = _CLAUSE_END.search(text)
    if end is not None and end.start() > 0:
        text = text[: end.start()]
    words = re.findall(r"[\w'-]+", text)
    while words and words[0].lower() in _FILLER:
        words.pop(0)
    words = words[:6]
    while words and words[-1].lower() in _ARTICLES:
        words.pop()
    return " ".join(words) or default


# --- prose -------------------------------------------------------------------------------------

_QUALITIES = (
    "durability", "comfort", "precision", "reliability", "versatility", "ease of use", "performance",
    "efficiency", "safety", "style", "value for money", "quality",
)
_ADJECTIVES = (
    "compact", "lightweight", "sturdy", "versatile", "elegant", "reliable", "practical", "robust",
    "modern", "ergonomic", "durable", "well-made",
)
_MATERIALS = (
    "hardened steel", "anodised aluminium", "recycled plastic", "solid oak", "stainless steel",
    "premium cotton", "tempered glass", "high-grade polymer",
)
_AUDIENCES = (
    "professionals", "families", "beginners and experts alike", "busy households", "hobbyists",
    "small businesses", "everyday users", "outdoor enthusiasts",
)
_PLACES = (
    "small spaces", "the workshop", "the kitchen", "the office", "any home", "tight corners", "the road",
)

_PRODUCT_SENTENCES = (
    "The {subject} is a {adj} choice for {audience} who care about {q1} and {q2}.",
    "Made from {material}, it is built to last and easy to keep in good condition.",
    "Its {adj2} design fits easily into {place} without getting in the way.",
    "Every detail is tuned for {q3}, so it does its job day after day.",
    "{company} backs the {subject} with a {years}-year warranty.",
    "It is available in {color} and ships ready to use.",
    "Unlike larger alternatives, it stays {adj} and light enough to take anywhere.",
    "Whether for daily use or occasional projects, the {subject} delivers consistent {q1}.",
    "Customers appreciate its {q2} and the care that went into its {adj2} finish.",
    "It is the ideal {subject} for {audience} looking for {q3} at a fair price.",
)

_CHAT_OPENERS = (
    "Here is a short answer about {subject}.",
    "Sure, here is an overview of {subject}.",
    "Good question about {subject}.",
    "Let me summarise {subject} for you.",
)

_CHAT_SENTENCES = (
    "The key point about {subject} is to {bs}.",
    "In practice, {subject} benefits most from {q1} and {q2}.",
    "A good first step is to {bs2}, then review the result.",
    "{company} is a typical example of an organisation that handles {subject} this way.",
    "Overall, {subject} works best when {q3} is kept in mind from the start.",
    "If you need more detail on {subject}, let me know which part matters most.",
)


def _qualities(source: Source) -> dict[str, Any]:
    q1, q2, q3 = source.rng.sample(_QUALITIES, 3)
    return {"q1": q1, "q2": q2, "q3": q3}


def _adjectives(source: Source) -> dict[str, Any]:
    adj, adj2 = source.rng.sample(_ADJECTIVES, 2)
    return {"adj": adj, "adj2": adj2}


_DRAWS: dict[str, Callable[[Source], dict[str, Any]]] = {
    "q1": _qualities, "q2": _qualities, "q3": _qualities, "adj": _adjectives, "adj2": _adjectives,
    "material": lambda source: {"material": source.rng.choice(_MATERIALS)},
    "audience": lambda source: {"audience": source.rng.choice(_AUDIENCES)},
    "place": lambda source: {"place": source.rng.choice(_PLACES)},
    "years": lambda source: {"years": source.rng.randint(1, 5)},
    "company": lambda source: {"company": source.faker.company()},
    "color": lambda source: {"color": source.faker.color_name().lower()},
    "bs": lambda source: {"bs": source.faker.bs()},
    "bs2": lambda source: {"bs2": source.faker.bs()},
}


@lru_cache(maxsize=None)
def _draws_of(template: str) -> tuple[Callable[[Source], dict[str, Any]], ...]:
    """The draws a template's fields need, each once, in the order the fields first appear."""
    fields = [field for _, field, _, _ in string.Formatter().parse(template) if field and field != "subject"]
    return tuple(dict.fromkeys(_DRAWS[field] for field in fields))


def _fill(template: str, subject: str, source: Source) -> str:
    """The template with only the values it names drawn: Faker's company() and bs() cost ~10 us
    each, and drawing every value for every sentence was most of a new reply's cost."""
    values: dict[str, Any] = {"subject": subject}
    for draw in _draws_of(template):
        values.update(draw(source))
    sentence = template.format(**values)
    return sentence[0].upper() + sentence[1:]


def _compose(openers: Sequence[str], templates: Sequence[str], subject: str, source: Source, count: int) -> str:
    chosen = [source.rng.choice(openers), *source.rng.sample(templates, min(count - 1, len(templates)))]
    return " ".join(_fill(template, subject, source) for template in chosen)


# Reply texts are pure functions of (subject, seed): memoised, because composing one with Faker
# costs most of a request (profiled: ~80% of a chat completion) and clients repeat their prompts.


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def product_text(subject: str, seed: int, faker: Faker) -> str:
    """A product description of 5-7 sentences about `subject`, decided by `seed` alone."""
    source = Source.from_seed(seed, faker)
    return _compose(_PRODUCT_SENTENCES[:1], _PRODUCT_SENTENCES[1:], subject, source, source.rng.randint(5, 7))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def chat_reply(subject: str, seed: int, faker: Faker) -> str:
    """An assistant's answer of 3-5 sentences about `subject`, decided by `seed` alone."""
    source = Source.from_seed(seed, faker)
    return _compose(_CHAT_OPENERS, _CHAT_SENTENCES, subject, source, source.rng.randint(3, 5))
