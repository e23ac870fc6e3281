"""Writing the AI behaviours' replies: a reply of the kind the prompt asks for, decided by a seed.

Owns: `reading` (the prompt's kind, subject, count, language and source text), `kinds` (the kinds),
`conversation`, `commerce`, `creative`, `transform` and `code` (one writer per kind), `grammar`,
`words` and `languages` (what they write with), and `pieces` (templates compiled into tokens, so a
reply's token count, cut and stream deltas come with it, and the seeded `Draw`).

May import `behaviours.text` (the tokenizer) and Faker's word lists; nothing else of mock_server:
a reply is a pure function of (conversation, seed, default kind), which is what makes it memoisable
and the same on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import answers, code, commerce, conversation, creative, transform
from . import kinds as K
from .grammar import forms_of
from .pieces import Draw, Writer
from .reading import Prompt, read
from .skeleton import VARIANTS, skeleton_for

__all__ = ["K", "Written", "write", "write_prompt"]

TEXT_MEMO_SIZE = 1024  # replies are pure functions of their inputs, and clients repeat their prompts

WRITERS: dict[str, Callable[[Prompt, Draw], Writer]] = {
    K.GREETING: conversation.greeting, K.THANKS: conversation.thanks, K.FAREWELL: conversation.farewell,
    K.ROLE: conversation.role, K.REACTION: conversation.reaction, K.ANSWER: conversation.answer,
    K.QUESTION: answers.explanation, K.EXPLANATION: answers.explanation, K.REASONS: answers.reasons,
    K.MECHANISM: answers.mechanism, K.DEPENDS: answers.depends, K.YES_NO: answers.yes_no, K.HOW_TO: answers.how_to,
    K.FACT: answers.fact, K.MATH: answers.math, K.PRODUCT: commerce.product, K.SEO_TEXT: commerce.seo_text,
    K.META_DESCRIPTION: commerce.meta_description, K.META_TITLE: commerce.meta_title, K.TITLES: commerce.titles,
    K.KEYWORDS: commerce.keywords, K.NAMES: commerce.names, K.SLOGANS: commerce.slogans,
    K.LIST: creative.bulleted_list, K.COMPARISON: creative.comparison, K.EMAIL: creative.email,
    K.POEM: creative.poem, K.STORY: creative.story, K.JOKE: creative.joke, K.SUMMARY: transform.summary,
    K.TRANSLATION: transform.translation, K.REWRITE: transform.rewrite, K.CODE: code.code,
    K.SOCIAL_POST: creative.social_post, K.RECIPE: creative.recipe, K.FAQ: creative.faq, K.ARTICLE: answers.article,
    K.BIO: creative.bio,
    K.LIVE: answers.live,
}


@dataclass(frozen=True, slots=True)
class Written:
    """A reply as its tokens (`text.tokens(reply.text) == list(reply.pieces)`) and the kind it is."""

    text: str
    pieces: tuple[str, ...]
    kind: str


@lru_cache(maxsize=TEXT_MEMO_SIZE)
def write(conversation: tuple[tuple[str, str], ...], seed: int, default: str = K.ANSWER) -> Written:
    """The reply to the conversation's last user message ((role, text) pairs, roles in lower case).

    `default` is the kind for a prompt that asks for nothing recognisable: a product description
    for Emporix's texts, a conversational answer for a chat.
    """
    prompt = read(conversation, default)
    writer = WRITERS[prompt.kind]
    if prompt.kind in K.SKELETAL and not prompt.source:
        forms = forms_of(prompt)
        pieces = skeleton_for(writer, prompt, forms, seed % VARIANTS).fill(forms)
    else:
        pieces = writer(prompt, Draw(seed)).done()
    return Written("".join(pieces), pieces, prompt.kind)


def write_prompt(prompt: str, seed: int, default: str = K.ANSWER) -> Written:
    """The reply to a single prompt (Emporix texts)."""
    return write((("user", prompt),), seed, default)
