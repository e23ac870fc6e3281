"""Replies that work on a text (the prompt's own, after a colon or in quotes, else the last answer):
summaries shorter than what they summarise, translations, and rewrites in the style asked for."""

from __future__ import annotations

import re

from . import words as W
from .grammar import capitalise, forms_of
from .languages import language_name, translate
from .pieces import Draw, Drawer, Values, Writer, templates
from .reading import Prompt

_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_WORD = re.compile(r"[A-Za-z][\w'-]+")
_STOP_WORDS = {"the", "and", "for", "with", "that", "this", "are", "was", "were", "has", "have", "had", "from",
               "but", "not", "you", "your", "our", "their", "they", "them", "its", "his", "her", "she", "him",
               "which", "who", "what", "when", "where", "will", "would", "can", "could", "been", "into", "than"}

_SUMMARY_INTROS = templates("In short:", "Summary:", "Here is the gist:")
_DOCUMENT_SUMMARIES = {
    "invoice": templates("{the_about} from {company} bills {amount} for {n} items and is due on {date}."),
    "report": templates("{the_about} finds that {f1} improved over the period, while {f2} needs attention, and "
                        "recommends a review by {date}."),
    "meeting": templates("{the_about} agreed on the next steps for {f1}, with {person} following up by {date}."),
    "contract": templates("{the_about} between {company} and {company2} runs until {date} and covers {f1} and {f2}."),
    "": templates("{the_about} covers {f1}, {f2} and {f3}, and concludes that {f1} matters most."),
}
_SUMMARY_MORE = templates("The main point is that {f1} and {f2} go hand in hand.",
                          "Everything else follows from that, so it is a good place to start.",
                          "No urgent action is needed, but {f3} is worth keeping an eye on.")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def summary(prompt: Prompt, draw: Draw) -> Writer:
    """An extract of the text's key sentences, always shorter than the text; without a text, a summary
    of the document the prompt names (an invoice, a report, a meeting…)."""
    out = Writer()
    wanted = prompt.length[0] if prompt.length and prompt.length[1] == "sentence" else None
    if prompt.source:
        chosen = _key_sentences(prompt.source, wanted)
        intro = draw.choice(_SUMMARY_INTROS)
        out.add(intro, {})
        for sentence in chosen:
            out.text(sentence, " ", capital=True)
        if sum(map(len, out.pieces)) >= len(prompt.source):
            out = Writer()
            out.text(_shortened(chosen[0], len(prompt.source)), capital=True)
        return out
    values = Values(draw, _DOCUMENT_DRAWERS, forms_of(prompt))
    out.add(draw.choice(_DOCUMENT_SUMMARIES[prompt.detail]), values)
    for template in draw.sample(_SUMMARY_MORE, (wanted or draw.between(2, 3)) - 1):
        out.add(template, values)
    return out


def _factors(draw: Draw) -> dict[str, str]:
    f1, f2, f3 = draw.sample(W.FACTORS, 3)
    return {"f1": f1, "f2": f2, "f3": f3}


_DOCUMENT_DRAWERS: dict[str, Drawer] = {
    "f1": _factors, "f2": _factors, "f3": _factors,
    "company": lambda draw: {"company": f"{draw.choice(W.LAST_NAMES)} Ltd"},
    "company2": lambda draw: {"company2": f"{draw.choice(W.LAST_NAMES)} GmbH"},
    "amount": lambda draw: {"amount": _amount(draw)}, "n": lambda draw: {"n": str(draw.between(2, 9))},
    "date": lambda draw: {"date": f"{draw.between(1, 28)} {draw.choice(_MONTHS)} 2025"},
    "person": lambda draw: {"person": draw.choice(W.FIRST_NAMES)},
}


def _amount(draw: Draw) -> str:
    currency = draw.choice(("EUR", "USD", "GBP"))
    return f"{currency} {draw.between(80, 9_800):,}.{draw.below(100):02d}"


def _key_sentences(source: str, wanted: int | None) -> list[str]:
    """The first sentence and those sharing the most words with the rest, in their original order."""
    sentences = [s.strip() for s in _SENTENCE_END.split(" ".join(source.split())) if s.strip()]
    count = wanted or max(1, min(3, (len(sentences) + 1) // 3))
    if len(sentences) <= count:
        return sentences[:1]
    frequency: dict[str, int] = {}
    for word in _WORD.findall(source.lower()):
        if word not in _STOP_WORDS:
            frequency[word] = frequency.get(word, 0) + 1
    scored = sorted(range(1, len(sentences)), key=lambda i: (-sum(frequency.get(w, 0) for w in
                                                                  set(_WORD.findall(sentences[i].lower()))), i))
    keep = sorted([0, *scored[: count - 1]])
    return [sentences[index] for index in keep]


def _shortened(sentence: str, limit: int) -> str:
    """A sentence cut to about half the text's length, at a word, ending in an ellipsis."""
    words, kept = sentence.split(), []
    for word in words:
        if len(" ".join([*kept, word])) >= max(limit // 2, 1):
            break
        kept.append(word)
    return (" ".join(kept or words[:1])).rstrip(",;:") + "…"


_ASK_LANGUAGE = templates("Sure! Which language would you like it translated into? For example German, French or "
                          "Spanish.")
_ASK_TEXT = templates("Sure! Please send the text you would like translated into {language}.")
_TRANSLATION_INTROS = templates("Here is the translation into {language}:", "In {language}:",
                                "Here it is in {language}:")


def translation(prompt: Prompt, draw: Draw) -> Writer:
    """The text in the target language: a short phrase alone, a longer text after one line of intro."""
    out = Writer()
    if prompt.language is None:
        out.add(_ASK_LANGUAGE[0], {})
        return out
    language = language_name(prompt.language)
    if not prompt.source:
        out.add(_ASK_TEXT[0], {"language": language})
        return out
    translated = translate(prompt.source, prompt.language)
    if len(prompt.source.split()) > 6:
        out.add(draw.choice(_TRANSLATION_INTROS), {"language": language})
        out.text(translated, "\n\n")
    else:
        out.text(translated)
    return out


_CONTRACTIONS = {"don't": "do not", "doesn't": "does not", "can't": "cannot", "won't": "will not", "isn't": "is not",
                 "aren't": "are not", "i'm": "I am", "it's": "it is", "we're": "we are", "you're": "you are",
                 "didn't": "did not", "wasn't": "was not", "couldn't": "could not", "wouldn't": "would not",
                 "let's": "let us", "that's": "that is", "there's": "there is", "i've": "I have", "we'll": "we will"}
_CASUAL = {v.lower(): k for k, v in _CONTRACTIONS.items() if k != "let's"}
_FORMAL_WORDS = {"hi": "Hello", "hey": "Hello", "thanks": "thank you", "get": "receive", "wanna": "want to",
                 "gonna": "going to", "a lot of": "many", "lots of": "many", "ok": "acceptable", "okay": "acceptable",
                 "buy": "purchase", "help": "assist", "need": "require", "start": "begin", "show": "demonstrate",
                 "make sure": "ensure", "asap": "as soon as possible", "pretty": "rather", "stuff": "material"}
_PLAIN_WORDS = {"good": "great", "big": "large", "buy": "purchase", "help": "support", "need": "require",
                "start": "begin", "show": "present", "make sure": "ensure", "also": "additionally", "fast": "quick",
                "easy": "simple", "very": "truly", "get": "obtain", "nice": "pleasant", "many": "numerous"}
_TYPOS = {"teh": "the", "recieve": "receive", "definately": "definitely", "seperate": "separate", "occured": "occurred",
          "untill": "until", "wich": "which", "alot": "a lot", "dont": "don't", "cant": "can't", "im": "I'm",
          "i": "I", "becuase": "because", "adress": "address", "tommorow": "tomorrow", "thier": "their"}
_FILLER = re.compile(r"\b(?:very|really|just|actually|basically|quite|simply|totally|literally|in order)\s+", re.IGNORECASE)
_INTROS = {
    "shorter": templates("Here is a shorter version:"), "formal": templates("Here is a more formal version:"),
    "friendly": templates("Here is a friendlier version:"), "fixed": templates("Here is the corrected text:"),
    "longer": templates("Here is a longer version:"), "plain": templates("Here is a revised version:",
                                                                        "Here is a rewritten version:"),
}
_ASK_REWRITE = templates("Sure! Please paste the text you would like me to rewrite.")
_LONGER = templates("On top of that, {it} {is} worth a closer look, because the details make the difference.",
                    "In other words, there is more to {the_subject} than first meets the eye.")


def rewrite(prompt: Prompt, draw: Draw) -> Writer:
    """The text rewritten: shorter, more formal, friendlier, corrected, longer, or in other words."""
    out = Writer()
    if not prompt.source:
        out.add(_ASK_REWRITE[0], {})
        return out
    style = _style(prompt.text.lower())
    text = _fixed(" ".join(prompt.source.split()))
    if style == "shorter":
        sentences = _SENTENCE_END.split(_FILLER.sub("", text))
        text = " ".join(sentences[: max(1, (len(sentences) + 1) // 2)])
        if len(text) >= len(prompt.source) and len(text.split()) > 3:
            text = _shortened(text, len(prompt.source))
    elif style == "formal":
        text = _formalise(_expand(text))
    elif style == "friendly":
        text = "Hi there! " + _contract(text).rstrip(".") + "!"
    elif style == "plain":
        text = _plainer(text)
    out.add(draw.choice(_INTROS[style]), {})
    out.text(text, "\n\n", capital=True)
    if style == "longer":
        for template in _LONGER:
            out.add(template, forms_of(prompt))
    return out


def _style(low: str) -> str:
    for style, pattern in _STYLES:
        if pattern.search(low):
            return style
    return "plain"


_STYLES = tuple((style, re.compile(pattern)) for style, pattern in (
    ("shorter", r"short|concise|brief|condense|tighten|trim"), ("formal", r"formal|professional|polite"),
    ("friendly", r"friendl|casual|informal|warm"), ("fixed", r"grammar|spelling|typo|proofread|correct"),
    ("longer", r"longer|expand|elaborate|more detail")))


class _Replacer:
    """Whole words (or phrases) swapped by a table, keeping a capital first letter."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        keys = sorted(table, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(key) for key in keys) + r")\b", re.IGNORECASE)

    def __call__(self, text: str) -> str:
        return self.pattern.sub(self._swap, text)

    def _swap(self, match: re.Match[str]) -> str:
        word = match.group()
        new = self.table[word.lower()]
        return capitalise(new) if word[:1].isupper() else new


_expand, _formalise, _contract, _plainer, _untypo = map(
    _Replacer, (_CONTRACTIONS, _FORMAL_WORDS, _CASUAL, _PLAIN_WORDS, _TYPOS))


def _fixed(text: str) -> str:
    """Common typos corrected, sentences capitalised and closed with a full stop."""
    text = _untypo(text)
    text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return text if text.endswith((".", "!", "?", "…")) else text + "."
