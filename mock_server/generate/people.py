"""One person per object: `firstName`, `lastName`, `name`, `email` and `username` of the same object
all describe the same "Jane Doe" (jane.doe@example.com, jdoe), as a real user record does.

The object's node draws a `Persona` into `source.persona` before its fields are generated (and puts
the outer one back after), so a user nested in an order gets its own person. Which fields take part
is decided at compile time, from their names (`role_of`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from faker.providers.person.en_US import Provider as _Person

from . import wordlists
from .entities import Entity
from .source import Source

ROLES = {
    "firstname": "first", "givenname": "first", "forename": "first",
    "lastname": "last", "surname": "last", "familyname": "last",
    "name": "full", "fullname": "full", "displayname": "full", "realname": "full",
    "username": "username", "login": "username", "handle": "username", "screenname": "username",
    "email": "email", "emailaddress": "email", "mail": "email",
    "initials": "initials",
}
# Roles that alone say an object is a person; `name` and `email` do not (a company has both).
PERSON_ROLES = frozenset({"first", "last", "username"})
_NOT_LETTERS = re.compile(r"[^a-z]")


@dataclass(frozen=True, slots=True)
class Weighted:
    """Faker's weighted name lists with cumulative weights computed once, sampled by bisection."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, table: Mapping[str, float]) -> Weighted:
        return cls(tuple(table), tuple(itertools.accumulate(table.values())))

    def pick(self, source: Source) -> str:
        return source.rng.choices(self.values, cum_weights=self.cumulative)[0]


FIRST_NAMES = Weighted.of(_Person.first_names)
LAST_NAMES = Weighted.of(_Person.last_names)


@dataclass(frozen=True, slots=True)
class Persona:
    first: str
    last: str
    style: int  # which username form this person uses
    number: int
    domain: str

    def value(self, role: str) -> str:
        first, last = _NOT_LETTERS.sub("", self.first.lower()), _NOT_LETTERS.sub("", self.last.lower())
        if role == "first":
            return self.first
        if role == "last":
            return self.last
        if role == "full":
            return f"{self.first} {self.last}"
        if role == "initials":
            return f"{self.first[0]}{self.last[0]}"
        if role == "email":
            return f"{first}.{last}@{self.domain}"
        forms = (f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}", f"{first}{self.number}")
        return forms[self.style]


def draw(source: Source) -> Persona:
    rng = source.rng
    return Persona(FIRST_NAMES.pick(source), LAST_NAMES.pick(source), rng.randrange(4), rng.randint(10, 99),
                   rng.choice(wordlists.EMAIL_DOMAINS))


def role_of(name: str | None) -> str | None:
    """The part of a person a property names (`first_name` → first), or None."""
    return ROLES.get(name.lower().replace("_", "").replace("-", "")) if name else None


def describes_person(properties: Iterable[str], entity: Entity) -> bool:
    """A user-like object: its schema says so (`User`, `author`), or its fields do (`firstName`, `username`)."""
    return entity.person or any(role_of(p) in PERSON_ROLES for p in properties)


def full_name(source: Source) -> str:
    """A person's name where no object gives one (an `author` string)."""
    return f"{FIRST_NAMES.pick(source)} {LAST_NAMES.pick(source)}"


def persona_field(role: str):  # type: ignore[no-untyped-def]
    """The field's value from the object's persona (drawn on the spot for a lone field)."""

    def make(source: Source) -> str:
        persona = source.persona
        if persona is None:
            persona = draw(source)
        return persona.value(role)

    return make
