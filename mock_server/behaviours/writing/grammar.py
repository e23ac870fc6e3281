"""Small English grammar for slotted text: "a"/"an", singular or plural agreement, numbers, case.

A reply says "an elegant choice", "the wool socks are", "three names", whatever the prompt's subject
is; these rules are what a template cannot know in advance.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .pieces import Hole

# Words spelt with a vowel but said with a consonant sound, and the reverse (a silent h).
_CONSONANT_SOUND = re.compile(r"(?:uni(?!n[aeiou]|mp)|use|usu|ura|uro|eu|ewe|one\b|once\b|ubiq|utens|uti|u\b)", re.IGNORECASE)
_VOWEL_SOUND = re.compile(r"(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_LETTER_NAMES_WITH_VOWEL_SOUND = set("AEFHILMNORSX")
_NUMBER = re.compile(r"\d+")
_LETTERS = re.compile(r"[A-Za-z']+")
_IRREGULAR_PLURALS = {
    "people", "children", "men", "women", "mice", "feet", "teeth", "geese", "data", "criteria", "media",
}
_DETERMINERS = {"this", "that", "these", "those", "my", "your", "our", "their", "his", "her", "its", "the", "a", "an"}
_SINGULAR_ENDINGS = ("ss", "us", "is", "ics", "news", "series", "species", "ous", "'s")
_SINGULAR_IN_S = {"lens", "chaos", "canvas", "atlas", "bias", "alias", "kudos", "gas", "yes", "does", "was", "has"}


def article(phrase: str) -> str:
    """'a' or 'an' before `phrase`, by how its first word sounds."""
    word = phrase.split(None, 1)[0] if phrase.strip() else ""
    if not word:
        return "a"
    digits = _NUMBER.match(word)
    if digits:  # an 8-inch, an 11-piece, an 18-month, an 80-page; a 1-year, a 100-page
        number = digits.group()
        return "an" if number.startswith("8") or (len(number) in (2, 5) and number.startswith("11")) or (
            len(number) in (2, 5) and number.startswith("18")) else "a"
    if len(word) > 1 and word.isupper() and word.isalpha() or word[:1].isupper() and word[1:2] == "-":
        # an FAQ, an HTML page, a USB stick, an X-ray, a U-turn: said letter by letter
        return "an" if word[0] in _LETTER_NAMES_WITH_VOWEL_SOUND else "a"
    if _VOWEL_SOUND.match(word):
        return "an"
    if word[0].lower() in "aeiou" and not _CONSONANT_SOUND.match(word):
        return "an"
    return "a"


def is_plural(phrase: str) -> bool:
    """Whether a noun phrase is plural, judged by its head: its last word, or the last before "of"
    ('wool socks', 'benefits of remote work'; 'glass' and 'a box of matches' are not)."""
    words = _LETTERS.findall(phrase.partition(" of ")[0])
    if not words:
        return False
    last = words[-1].lower()
    if last in _IRREGULAR_PLURALS:
        return True
    if last in _SINGULAR_IN_S:
        return False
    return len(last) > 3 and last.endswith("s") and not last.endswith(_SINGULAR_ENDINGS)


def is_proper(phrase: str) -> bool:
    """A name rather than a common noun: every word capitalised ('Python', 'New York', 'GDPR')."""
    words = phrase.split()
    return bool(words) and words[-1][:1].isupper() and not any(word[:1].islower() for word in words)


_AGREEMENT = {  # a verb after a singular subject → after a plural one
    "is": "are", "was": "were", "has": "have", "does": "do", "combines": "combine", "delivers": "deliver",
    "stays": "stay", "makes": "make", "fits": "fit", "offers": "offer", "comes": "come", "matters": "matter",
    "improves": "improve", "sounds": "sound", "works": "work", "brings": "bring", "sets": "set",
    "helps": "help",
}
_SINGULAR = {verb: verb for verb in _AGREEMENT}
_PLURAL_FORMS = {"it": "they", "it_obj": "them", "its": "their", "it_is": "they are", **_AGREEMENT}
_SINGULAR_FORMS = {"it": "it", "it_obj": "it", "its": "its", "it_is": "it is", **_SINGULAR}


SUBJECT_KEYS = ("subject", "Subject", "a_subject", "the_subject", "Title", "about", "the_about")
HOLE = "\x00"  # a subject text starting with this stands for any subject (skeleton.py)


class SubjectForms(dict):  # type: ignore[type-arg]
    """A subject's forms, each worked out when a template first names it: a reply names a few."""

    __slots__ = ("about",)

    def __init__(self, text: str, about: str) -> None:
        super().__init__(subject=text)
        self.about = about or text

    def __missing__(self, key: str) -> str:
        text = self["subject"]
        if key in _PLURAL_FORMS:
            self.update(_PLURAL_FORMS if is_plural(text) else _SINGULAR_FORMS)
        elif key in ("a_subject", "the_subject", "the_about"):
            if is_proper(text) or text.partition(" ")[0].lower() in _DETERMINERS:
                a_form = the_form = text
            elif self["is"] == "are":
                a_form, the_form = text, f"the {text}"
            else:
                a_form, the_form = f"{article(text)} {text}", f"the {text}"
            self.update(a_subject=a_form, the_subject=the_form,
                        the_about=the_form if self.about == text else self.about)
        elif key == "Subject":
            self[key] = capitalise(text)
        elif key == "Title":
            self[key] = title_case(text)
        elif key == "about":
            self[key] = self.about
        else:
            raise KeyError(key)
        return self[key]


def subject_forms(text: str, about: str = "") -> dict[str, str]:
    """What a sentence needs of its subject: 'a red bicycle', 'the red bicycle', 'it', each verb of
    `_AGREEMENT` agreeing with it ('the wool socks are', 'they come'), its title case and `about`,
    the subject as the prompt wrote it ('your cat').

    Not memoised: the forms are worked out as templates name them, and a repeated prompt's reply is
    memoised whole. `stand_in(plural)` gets the agreeing words and a `Hole` for each form that
    depends on the text."""
    if text.startswith(HOLE):
        return _stand_in_forms(text)
    return SubjectForms(text, about)


@lru_cache(maxsize=2)
def _stand_in_forms(text: str) -> dict[str, str]:
    forms = {key: Hole(key) for key in SUBJECT_KEYS}
    forms.update(_PLURAL_FORMS if text == stand_in(True) else _SINGULAR_FORMS)
    return forms


def forms_of(prompt: Any) -> dict[str, str]:
    """`subject_forms` of a prompt (reading.Prompt): its subject and the subject as written."""
    return subject_forms(prompt.subject, prompt.about)


def stand_in(plural: bool) -> str:
    """The subject a skeleton is written about: any subject that is plural, or any that is not."""
    return HOLE + ("plural" if plural else "singular")


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def title_case(text: str) -> str:
    """Headline case: every word capitalised but short joining words (not the first)."""
    small = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    words = text.split()
    return " ".join(
        word if (index and word.lower() in small) or not word[:1].islower() else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
NUMBER_WORDS = {word: value for value, word in enumerate(_UNITS)}


def number_word(value: int) -> str:
    """'three' for 3; digits beyond twenty."""
    return _UNITS[value] if 0 <= value < len(_UNITS) else str(value)


def join_words(items: list[str]) -> str:
    """'a, b and c'."""
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_PERSON_SWAP = {"my": "your", "i": "you", "me": "you", "mine": "yours", "myself": "yourself", "our": "your",
                "we": "you", "us": "you", "i'm": "you're", "i've": "you've", "i'd": "you'd", "am": "are", "your": "my",
                "yours": "mine"}


def second_person(phrase: str) -> str:
    """The user's words said back to them: 'reset my password' → 'reset your password'."""
    return _LETTERS.sub(lambda m: second_person_word(m.group()), phrase)


def second_person_word(word: str) -> str:
    low = word.lower()
    swapped = _PERSON_SWAP.get(low)
    if swapped is None or (len(word) > 1 and word.isupper()):  # "US", "ME" are names, not pronouns
        return word
    return capitalise(swapped) if word[:1].isupper() and not (low == "i" or low.startswith("i'")) else swapped
