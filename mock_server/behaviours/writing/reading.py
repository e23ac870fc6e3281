"""Reading a prompt: what kind of reply it asks for, about what, how many, in which language.

Chat UIs send a handful of kinds of prompts (a greeting, a question, "give me 5 names for…",
"summarise this: …", "translate … into German", "write a Python function…"), and an e-commerce
back office sends product descriptions, SEO texts and titles. The instruction's cue words
(cues.py) and its shape (a greeting, a question mark, an expression) decide the kind by precedence,
so the most specific request wins ("translate this summary" is a translation, "list 5 names" a list
of names). Where a prompt asks for nothing recognisable, the operation's default kind answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import kinds as K
from .cues import cues_of, words_of
from .grammar import NUMBER_WORDS
from .languages import CODE_LANGUAGE_NAMES, language_named
from .subjects import subject_and_about, subject_for, subject_of

__all__ = ["Prompt", "as_written", "kind_of", "read", "read_prompt", "subject_of"]

INSTRUCTION_CHARS = 400  # cues are looked for in the instruction's start: a long pasted text is not read twice
HEAD_CHARS = 200  # "Summarise this: …": an instruction before a colon or line break is at most this long

_GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day)|yo|hallo|hola|bonjour|servus"
    r"|moin|say (?:hello|hi)|hello there|hi there)\b[\s,!.]*", re.IGNORECASE)
_SMALL_TALK = re.compile(r"\b(?:how are you|how's it going|how are things|what's up|who are you|what can you do"
                         r"|about yourself|what are you)\b", re.IGNORECASE)
_ROLE = re.compile(r"^(?:you are|you're|act as|pretend|imagine you|your (?:task|job|role)|as an? \w+,? you)\b", re.IGNORECASE)
_POLITE = re.compile(r"^(?:(?:can|could|would|will) you(?: please)?|please|i(?:'d| would) like you to)\s+(?=\w)",
                     re.IGNORECASE)
_WH = re.compile(r"^(?:what|why|who|whom|whose|when|where|which|how)\b", re.IGNORECASE)
_MATH = re.compile(r"^(?:what(?: is|'s)|calculate|compute|how much is|solve)?\s*[-+*/x×÷().\d\s^]*\d[-+*/x×÷().\d\s^]*"
                   r"\s*[?=!.]*$", re.IGNORECASE)
_OPERATION = re.compile(r"\d\s*(?:\*\*|[-+*/x×÷^])\s*[\d(]")
_AS_JSON = re.compile(r"\b(?:as|in|return|into|output) json\b")
_QUOTED = re.compile(r"\"([^\"\n]{1,4000})\"|“([^”]{1,4000})”|«([^»]{1,4000})»|„([^“”]{1,4000})[“”]"
                     r"|(?:(?<=\s)|^)'([^'\n]{2,400})'(?=[\s.,:;!?]|$)")
_TRANSLATE_WHAT = re.compile(r"\b(?:translate|say)\s+(?P<src>.+?)\s+(?:in|into|to)\s+[A-Za-z]+\W*$", re.IGNORECASE | re.DOTALL)
_LANGUAGE_TARGET = re.compile(r"\b(?:in|into|to)\s+(?P<lang>[a-z]+)\b")
_NO_SUBJECT = {K.GREETING, K.THANKS, K.FAREWELL, K.MATH}
DOCUMENTS = ("invoice", "report", "meeting", "contract")  # what a summary without a text can be a summary of
SETTINGS_VERBS = {  # a how-to done in an app or a device's settings, rather than a plan to make
    "reset", "change", "update", "delete", "remove", "install", "uninstall", "set", "configure", "enable", "disable",
    "connect", "sign", "log", "export", "import", "cancel", "download", "upload", "add", "turn", "switch", "unlock",
    "activate", "deactivate", "recover", "restore", "back", "sync", "share", "clear", "edit", "rename", "create",
}
LIVE_THINGS = ("weather", "forecast", "stock", "exchange rate", "time", "score", "news")  # what no model can know
_CAPITAL_OF = re.compile(r"\bcapital (?:city )?of (?P<country>[\w .'-]+?)\s*[?.!]*$", re.IGNORECASE)
_STATEMENT = re.compile(r"^i(?:'m| am| really| just)? (?:love|like|enjoy|hate|prefer|want|am|have|think|feel|need)\b",
                        re.IGNORECASE)
_TIME_OF_DAY = re.compile(r"good (morning|afternoon|evening|day)")
_WHO_ARE_YOU = re.compile(r"who are you|what can you do|about yourself|what are you")
_HOW_ARE_YOU = re.compile(r"how are you|how's it going|how are things|what's up")
_NUMBERS = {**NUMBER_WORDS, "few": 3, "couple": 2, "several": 5, "fifty": 50, "hundred": 100}
_LENGTH_UNITS = {"sentence": "sentence", "sentences": "sentence", "word": "word", "words": "word",
                 "paragraph": "paragraph", "paragraphs": "paragraph", "line": "line", "lines": "line"}
_NOT_COUNTED = {"minute", "minutes", "hour", "hours", "day", "days", "percent", "%", "years", "year", "times"}
MAX_COUNT = 20  # "give me 500 names" gets twenty
_QUOTE_MARK = re.compile("[\"“«„']")
_PRONOUN_SOURCES = {"this", "that", "it", "this text", "the text", "the following", "these", "them"}


@dataclass(frozen=True, slots=True)
class Prompt:
    """What the reply should be: a kind (kinds.py), its subject and the details the kind uses."""

    kind: str
    subject: str
    text: str = ""  # the instruction, as written
    count: int | None = None  # "5 names": how many items
    length: tuple[int, str] | None = None  # "in one sentence": (1, "sentence")
    language: str | None = None  # the translation's target or the code's language
    source: str | None = None  # the text to summarise, translate or rewrite
    about: str = ""  # the subject as written, with its determiner: "a coffee shop", "your cat"
    detail: str = ""  # what else the kind needs: the greeting's time of day, the document summarised


def as_written(prompt: Prompt) -> str:
    """The subject with the determiner the prompt gave it ('a coffee shop', 'your cat')."""
    return prompt.about or prompt.subject


def read(conversation: tuple[tuple[str, str], ...], default: str) -> Prompt:
    """The last user message read in the light of the conversation (roles in lower case): a system
    prompt about products makes product copy the default; 'translate it' refers to the last answer."""
    asked = next((pair for pair in reversed(conversation) if pair[0] == "user"), None)
    role, prompt = asked or (conversation[-1] if conversation else ("user", ""))
    prompt = prompt.strip()
    if role == "system" and _ROLE.match(prompt):
        subject, about = subject_and_about(prompt, "your request")
        return Prompt(K.ROLE, subject, prompt, about=about)
    if default != K.PRODUCT and any(
        role == "system" and "product" in cues_of(words_of(text[:INSTRUCTION_CHARS].lower()))
        for role, text in conversation
    ):
        default = K.PRODUCT
    return read_prompt(prompt, default, _earlier_text(conversation, asked))


def read_prompt(prompt: str, default: str, earlier: str | None = None) -> Prompt:
    if not prompt and default != K.PRODUCT:
        return Prompt(K.GREETING, "this topic")
    greeting = _GREETING.match(prompt)
    if greeting and greeting.end() < len(prompt) and len(prompt.split()) > 5:
        prompt = prompt[greeting.end():]  # "Hi! Can you write me a poem?" is a request for a poem
    polite = _POLITE.match(prompt)
    if polite and polite.end() < len(prompt):
        prompt = prompt[polite.end():]  # "Can you explain recursion?" asks for an explanation, not a yes
    instruction, source = _instruction_and_source(prompt)
    low = instruction[:INSTRUCTION_CHARS].lower()
    tokens = words_of(instruction[:INSTRUCTION_CHARS])
    words = [token.lower() for token in tokens]
    cues = cues_of(words)
    kind = kind_of(low, words, cues, default)
    language = None
    if kind == K.TRANSLATION:
        language = next((code for match in _LANGUAGE_TARGET.finditer(low) if (code := language_named(match["lang"]))),
                        None)
        source = source or _translated_part(instruction)
    elif kind == K.CODE:
        language = next((CODE_LANGUAGE_NAMES[word] for word in words if word in CODE_LANGUAGE_NAMES), None)
        if language is None and "go" in words and "code_noun" in cues:
            language = "go"
    if kind in K.TRANSFORMS and not source:
        source = earlier
    kind, subject, about, detail = _refined(kind, instruction, low, default, tokens)
    count, length = _count_and_length(words)
    return Prompt(kind, subject, instruction, count, length, language, source, about, detail)


def _refined(kind: str, instruction: str, low: str, default: str, tokens: list[str]) -> tuple[str, str, str, str]:
    """The kind made precise by the prompt's wording, its subject (bare and as written) and the
    detail the kind needs."""
    detail = ""
    if kind == K.QUESTION and "capital" in low and (capital := _CAPITAL_OF.search(instruction)):
        country = capital["country"].strip()
        return K.FACT, country, country, ""
    if kind == default == K.ANSWER and (statement := _STATEMENT.match(instruction)):
        topic = subject_of(instruction[statement.end():], "it")
        return K.REACTION, topic, topic, ""
    elif kind == K.GREETING:
        time_of_day = _TIME_OF_DAY.match(low)
        detail = "who" if _WHO_ARE_YOU.search(low) else "how" if _HOW_ARE_YOU.search(low) else (
            time_of_day.group(1) if time_of_day else "")
        return kind, "", "", detail
    if kind == K.LIVE:
        return kind, "", "", next((thing for thing in LIVE_THINGS if thing in low), "news")
    if kind in _NO_SUBJECT:
        return kind, "", "", ""
    subject, about = subject_for(kind, instruction, default, tokens)
    if kind == K.SUMMARY:
        low_subject = subject.lower()
        detail = next((document for document in DOCUMENTS if document in low_subject), "")
    elif kind == K.HOW_TO:
        detail = "settings" if subject.partition(" ")[0].lower() in SETTINGS_VERBS else "plan"
    return kind, subject, about, detail


def kind_of(low: str, words: list[str], cues: set[str], default: str) -> str:
    """The kind of reply, the most specific cue first (`low`: the instruction in lower case, `words`
    its words and punctuation)."""
    asks = "write" in cues or low.endswith("?") or bool(_WH.match(low))
    if "code_noun" in cues and ("code_lang" in cues or asks) or "code_lang" in cues and "write" in cues:
        return K.CODE
    if "json" in cues and ("write" in cues or _AS_JSON.search(low)):
        return K.CODE
    for cue, kind in _SPECIFIC:
        if cue in cues:
            return kind
    if "email" in cues and asks:
        return K.EMAIL
    if "meta" in cues or "seo" in cues and ("title" in cues or "describe" in cues):
        return K.META_TITLE if "title" in cues else K.META_DESCRIPTION
    if "keywords" in cues:
        return K.KEYWORDS
    if "title" in cues and asks:
        return K.TITLES
    if "names" in cues and "write" in cues or "name_ask" in cues:
        return K.NAMES
    for cue, kind in _CREATIVE:
        if cue in cues:
            return kind
    if "live" in cues and (asks or "tell" in low):
        return K.LIVE
    if "seo" in cues:
        return K.SEO_TEXT
    if "describe" in cues:
        return K.PRODUCT if "product" in cues or default == K.PRODUCT else K.EXPLANATION
    if "steps" in cues or low.startswith("help me "):
        return K.HOW_TO
    if "list" in cues or ("write" in cues and _count_and_length(words)[0]):
        return K.LIST
    if "article" in cues and asks:
        return K.ARTICLE
    if _OPERATION.search(low) and _MATH.match(low):
        return K.MATH
    return _conversational(low, cues, default, len(low.split()))


def _conversational(low: str, cues: set[str], default: str, words: int) -> str:
    """By how the prompt opens (one anchored expression): small talk, a role, a question."""
    opening = _OPENING.match(low)
    start = opening.lastgroup if opening else None
    if words <= 10:
        if words <= 6 and start in _SMALL_TALK_KINDS:
            return _SMALL_TALK_KINDS[start]
        if _SMALL_TALK.search(low):
            return K.GREETING
    if start == "role":
        return K.ROLE
    if start in _QUESTION_KINDS or low.endswith("?"):
        return K.YES_NO if start == "yes_no" else _QUESTION_KINDS.get(start, K.QUESTION)
    if start == "yes_no" and words <= 20:
        return K.YES_NO
    if "explain" in cues:
        return K.EXPLANATION
    if "product" in cues:
        return K.PRODUCT
    return default


_OPENING = re.compile(
    r"^(?:(?P<greeting>hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day)|yo|hallo|hola"
    r"|bonjour|servus|moin|say (?:hello|hi))"
    r"|(?P<thanks>thanks|thank you|thx|ty|cheers|much appreciated|great|perfect|awesome|nice|cool|ok(?:ay)?|got it"
    r"|that helps)"
    r"|(?P<farewell>bye|goodbye|good night|see you|see ya|talk (?:to you )?later|that's all)"
    r"|(?P<role>you are|you're|act as|pretend|imagine you|your (?:task|job|role)|as an? \w+,? you)"
    r"|(?P<reasons>why)|(?P<mechanism>how (?:does|do|did|is|are))|(?P<depends>when|where)"
    r"|(?P<question>what|who|whom|whose|which|how)"
    r"|(?P<yes_no>is|are|can|could|should|do|does|did|will|would|has|have|was|were|am|may|must|shall))\b"
)
_SMALL_TALK_KINDS = {"greeting": K.GREETING, "thanks": K.THANKS, "farewell": K.FAREWELL}
_QUESTION_KINDS = {"reasons": K.REASONS, "mechanism": K.MECHANISM, "depends": K.DEPENDS, "question": K.QUESTION}
_SPECIFIC = (("translate", K.TRANSLATION), ("summary", K.SUMMARY), ("rewrite", K.REWRITE), ("slogan", K.SLOGANS))
_CREATIVE = (("poem", K.POEM), ("story", K.STORY), ("joke", K.JOKE), ("compare", K.COMPARISON),
             ("recipe", K.RECIPE), ("faq", K.FAQ), ("social", K.SOCIAL_POST), ("bio", K.BIO))


def _instruction_and_source(prompt: str) -> tuple[str, str | None]:
    """'Summarise this: <text>' → ('Summarise this', '<text>'); a quoted part is a source too."""
    cut = min((p for p in (prompt.find(":"), prompt.find("\n")) if p >= 2), default=-1)
    if 0 < cut <= HEAD_CHARS:
        head, body = prompt[:cut].strip(), prompt[cut + 1:].strip()
        if body and cues_of(words_of(head.lower())):
            return head, body
    quoted = _QUOTED.search(prompt) if _QUOTE_MARK.search(prompt) else None
    if quoted:
        return prompt, next(group for group in quoted.groups() if group is not None).strip()
    return prompt, None


def _translated_part(instruction: str) -> str | None:
    match = _TRANSLATE_WHAT.search(instruction)
    if match is None:
        return None
    source = match["src"].strip(" '\"")
    return None if source.lower() in _PRONOUN_SOURCES else source


def _earlier_text(conversation: tuple[tuple[str, str], ...], asked: tuple[str, str] | None) -> str | None:
    """What 'translate it' or 'make it shorter' refers to: the last answer before the question."""
    if asked is None:
        return None
    position = len(conversation) - 1 - conversation[::-1].index(asked)
    return next((text for role, text in reversed(conversation[:position]) if role == "assistant" and text.strip()),
                None)


def _count_and_length(words: list[str]) -> tuple[int | None, tuple[int, str] | None]:
    """'5 names' → (5, None); 'in two sentences' → (None, (2, 'sentence')); 'top 10 tips' → (10, None).
    A number followed by a unit of time or nothing counts nothing."""
    count = length = None
    if _NUMBERS.keys().isdisjoint(words) and not any(map(str.isdecimal, words)):
        return None, None
    for index, word in enumerate(words[:-1]):
        value = int(word) if word.isdecimal() and len(word) <= 3 else _NUMBERS.get(word)
        if not value:
            continue
        after = words[index + 1]
        unit = _LENGTH_UNITS.get(after)
        if unit is not None:
            length = length or (value, unit)
        elif count is None and after not in _NOT_COUNTED and (not word.isdecimal() or len(word) <= 2):
            count = min(value, MAX_COUNT)
    return count, length
