"""The subject of a prompt: the thing a reply is about, said back in the reader's words.

'Write a description for a red bicycle' is about 'red bicycle'; 'What is machine learning?' about
'machine learning'; 'How do I reset my password?' asks how to 'reset your password'. Which phrase of
the prompt names the subject depends on the kind of reply (reading.py passes it in).
"""

from __future__ import annotations

import re

from . import kinds as K
from .grammar import NUMBER_WORDS, article, second_person, second_person_word

_TOKENS = re.compile(r"[\w'+#-]+(?:\.\w+)*|[,.;:!?\n\"“”]")
_LEAD_INS = {"about", "for", "of", "describing", "called", "named", "on", "regarding"}
_CLAUSE_WORDS = {"based", "for", "in", "on", "with", "by", "that", "which", "who", "using", "from", "to", "into", "so",
                 "please", "like", "today", "now"}
_STOPS = set(",.;:!?\n\"“”")
_FILLER = {
    "a", "an", "the", "this", "that", "these", "our", "my", "your", "please", "write", "generate", "create",
    "creating", "describe", "describing", "summarise", "summarize", "summarising", "summarizing", "explain",
    "give", "make", "draft", "compose", "produce", "short", "brief", "long", "product", "description", "text",
    "me", "us", "some", "tell", "about", "what", "is", "are", "how", "why", "can", "you", "could",
    "would", "i", "need", "want", "suggest", "few", "good", "nice", "catchy", "quick",
}
_TRAILING = {"a", "an", "the", "this", "our", "my", "your", "some", "of", "and", "or", "with"}


def subject_of(prompt: str, default: str = "this product") -> str:
    """The thing a prompt is about: 'Write a description for a red bicycle' → 'red bicycle'."""
    return subject_and_about(prompt, default)[0]


def subject_and_about(prompt: str, default: str = "this product", tokens: list[str] | None = None) -> tuple[str, str]:
    """The subject, and the subject as written with its determiner ('a red bicycle', 'your cat').

    The words after the first lead-in ('about', 'for', 'of'…) up to the end of the clause, less
    fillers ('write', 'a', 'short'…) in front and articles at the end, at most six words."""
    if tokens is None:
        tokens = _TOKENS.findall(prompt)
    low = [token.lower() for token in tokens]
    start = next((index + 1 for index, word in enumerate(low) if word in _LEAD_INS), 0)
    if start >= len(low) or low[start] in _CLAUSE_WORDS or low[start] in _STOPS:
        start = 0
    end = start + 1
    while end < len(low) and low[end] not in _STOPS and low[end] not in _CLAUSE_WORDS and not (
            low[end] == "and" and end + 1 < len(low) and low[end + 1] == "then"):
        end += 1
    words = [token for token in tokens[start:end] if token not in _STOPS]
    last = ""
    while words and (words[0].lower() in _FILLER and not words[0][1:].isupper() or words[0].isdigit()
                     or words[0].lower() in NUMBER_WORDS):
        last = words.pop(0).lower()
    words = words[:6]
    while words and words[-1].lower() in _TRAILING:
        words.pop()
    subject = " ".join(second_person_word(word) for word in words)
    if not subject:
        return default, default
    if last in ("a", "an"):
        return subject, f"{article(subject)} {subject}"
    return subject, f"{second_person_word(last)} {subject}" if last in _DETERMINERS else subject


_HOW_WORKS = re.compile(r"^how (?:does|do|did|is|are|can|could) (?P<x>.+?)(?: work| function| happen| operate)?\s*[?.!]*$",
                        re.IGNORECASE)
_DEFINITION = re.compile(r"^(?:what|who)(?: is|'s| are| was| were)\s+(?P<x>.+?)[?.!]*$", re.IGNORECASE)
_TELL_ABOUT = re.compile(r"^(?:explain|define|describe|tell me about|teach me about|give me an overview of)\s+"
                         r"(?P<x>.+?)[?.!]*$", re.IGNORECASE)
_ABOUT = re.compile(r"\babout\s+(?P<x>.+)$", re.IGNORECASE | re.DOTALL)
_HOW_TO = re.compile(r"\b(?:how (?:do|can|should|would) (?:i|you|we)|how to|steps? (?:to|for)|guide to|^help me)\s+"
                     r"(?P<task>[^?.!\n]+)", re.IGNORECASE)
_ABOUT_KINDS = (K.TITLES, K.LIST, K.POEM, K.STORY, K.JOKE, K.EMAIL, K.SLOGANS, K.KEYWORDS)
_QUESTION_KINDS = (K.QUESTION, K.EXPLANATION, K.YES_NO, K.REASONS, K.MECHANISM, K.DEPENDS)


def subject_for(kind: str, instruction: str, default: str, tokens: list[str] | None = None) -> tuple[str, str]:
    """The subject as the kind of reply needs it (a question's topic, a list's 'about …', a task),
    and as written."""
    fallback = "this product" if default == K.PRODUCT else "this topic"
    text = instruction.strip()
    if kind in _QUESTION_KINDS:
        match = _HOW_WORKS.match(text) or _DEFINITION.match(text) or _TELL_ABOUT.match(text)
        if match:
            return subject_and_about(f"about {match['x']}", fallback)
    elif kind in _ABOUT_KINDS:
        match = _ABOUT.search(text)
        if match:
            return subject_and_about(f"about {match['x']}", fallback)
    elif kind == K.HOW_TO:
        match = _HOW_TO.search(text)
        task = second_person(match["task"].strip()) if match else ""
        return (task, task) if task else ("do it", "do it")
    return subject_and_about(text, fallback, tokens)


_DETERMINERS = {"a", "an", "the", "my", "your", "our", "this", "his", "her", "their"}
