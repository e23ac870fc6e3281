"""Small value makers for names by context (names.py): word lists and cheap compositions where
Faker's own providers are slow (city, company, url and email take 90-290 us a call in en_US) or lack
the kind (pet names, products). Each takes the seeded `Source` and draws only from it."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import formats, people, wordlists
from .source import Source

StrFn = Callable[[Source], str]


def pick(values: tuple[str, ...]) -> StrFn:
    return lambda source: source.rng.choice(values)


def faker(method: str) -> StrFn:
    return lambda source: str(getattr(source.faker, method)())


def text(source: Source) -> str:
    return source.faker.paragraph(nb_sentences=source.rng.randint(1, 3))


def sentence(source: Source) -> str:
    return source.faker.sentence()


def title(source: Source) -> str:
    return source.faker.sentence(nb_words=4).rstrip(".")


def slug(source: Source) -> str:
    return "-".join(formats.words(source, source.rng.randint(2, 3)))


def last(source: Source) -> str:
    return people.LAST_NAMES.pick(source)


def company(source: Source) -> str:
    return f"{last(source)} {source.rng.choice(wordlists.COMPANY_SUFFIXES)}"


def host(source: Source) -> str:
    return f"{re.sub('[^a-z]', '', last(source).lower())}.{source.rng.choice(wordlists.TLDS)}"


def website(source: Source) -> str:
    return f"https://www.{host(source)}"


def link(source: Source) -> str:
    return f"https://api.{host(source)}/{source.rng.choice(formats.WORDS)}/{source.rng.randint(1, 9999)}"


def image(source: Source) -> str:
    size = source.rng.choice(("640/480", "800/600", "400/400", "1024/768"))
    return f"https://picsum.photos/seed/{source.rng.randint(1, 99999)}/{size}.jpg"


def docs(source: Source) -> str:
    return f"https://docs.{host(source)}/errors/{source.rng.choice(wordlists.DOC_TOPICS)}"


def product(source: Source) -> str:
    rng = source.rng
    return f"{rng.choice(wordlists.PRODUCT_ADJECTIVES)} {rng.choice(wordlists.PRODUCT_MATERIALS)} {rng.choice(wordlists.PRODUCT_NOUNS)}"


def thing(source: Source) -> str:
    """The name of something the contract does not say more about: "Silver Harbor"."""
    return f"{source.rng.choice(wordlists.NAME_ADJECTIVES)} {source.rng.choice(wordlists.NAME_NOUNS)}"


def file(source: Source) -> str:
    rng = source.rng
    return f"{rng.choice(wordlists.FILE_STEMS)}-{rng.randint(2019, 2025)}-{rng.randint(1, 999):03d}.{rng.choice(wordlists.FILE_EXTENSIONS)}"


def street(source: Source) -> str:
    rng = source.rng
    return f"{rng.randint(1, 9999)} {rng.choice(wordlists.STREETS)} {rng.choice(wordlists.STREET_SUFFIXES)}"


def phone(source: Source) -> str:
    """A North American number in the 555-01xx range, reserved for fiction: it reaches nobody."""
    return f"+1-{source.rng.randint(201, 989)}-555-01{source.rng.randint(0, 99):02d}"


def code(source: Source) -> str:
    return source.faker.bothify("???-####").upper()


def country_code(source: Source) -> str:
    return source.faker.country_code()


def country_code3(source: Source) -> str:
    return source.faker.country_code(representation="alpha-3")


def version(source: Source) -> str:
    rng = source.rng
    return f"{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"


def hex(size: int) -> StrFn:
    return lambda source: f"{source.rng.getrandbits(size * 4):0{size}x}"


def place(noun: str) -> StrFn:
    return lambda source: f"{source.rng.choice(wordlists.CITIES)} {noun.title()}"


def colour_hex(source: Source) -> str:
    return f"#{source.rng.getrandbits(24):06x}"
