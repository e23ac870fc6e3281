"""What an object is about, read from the contract's own words: its schema's name or title, or the
property that holds it (`Pet`, `category`, `tags[]`, `CreateUserRequest` → pet, category, tag, user).

The kind of entity decides what its fields look like: a pet's `name` is "Luna", a category's is
"Dogs", a user's is a person's name consistent with the user's `email`. Decided once, at compile time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Words of a schema name that say how it travels, not what it is (`UserResponseDTO` is a user).
NOISE = frozenset({
    "create", "update", "new", "request", "response", "dto", "model", "schema", "resource", "entity", "details",
    "detail", "info", "data", "summary", "read", "write", "input", "output", "payload", "body", "public", "base",
    "full", "list", "patch", "put", "post", "get", "object", "record", "view", "result", "results", "single",
    "page", "paged", "paginated", "collection", "array", "wrapper", "envelope", "v", "api", "the", "a", "of",
})
KINDS: dict[str, frozenset[str]] = {
    "person": frozenset({
        "user", "person", "customer", "contact", "author", "owner", "member", "employee", "profile", "admin",
        "administrator", "buyer", "seller", "recipient", "sender", "patient", "student", "teacher", "passenger",
        "guest", "traveler", "traveller", "driver", "assignee", "reviewer", "creator", "participant", "attendee",
        "speaker", "player", "subscriber", "candidate", "applicant", "manager", "staff", "writer", "artist",
        "doctor", "physician", "actor", "friend", "follower", "reporter", "requester", "approver", "signer",
        "beneficiary", "cardholder", "individual", "human", "agent", "collaborator", "editor", "host",
    }),
    "pet": frozenset({"pet", "dog", "cat", "animal", "puppy", "kitten", "bird", "horse", "rabbit", "hamster", "fish"}),
    "category": frozenset({"category", "genre", "department", "section"}),
    "tag": frozenset({"tag", "label", "keyword", "topic", "hashtag"}),
    "product": frozenset({"product", "sku", "offer", "variant", "merchandise", "good", "listing"}),
    "company": frozenset({
        "company", "organization", "organisation", "org", "business", "vendor", "supplier", "merchant", "brand",
        "manufacturer", "employer", "publisher", "partner", "agency", "firm", "enterprise", "carrier", "bank",
        "tenant", "retailer", "distributor",
    }),
    "place": frozenset({
        "location", "place", "venue", "site", "branch", "warehouse", "office", "store", "shop", "hotel",
        "restaurant", "airport", "station", "facility", "clinic", "school", "campus",
    }),
    "city": frozenset({"city", "town"}),
    "country": frozenset({"country", "nation"}),
    "file": frozenset({"file", "document", "attachment", "upload", "asset", "download"}),
    "role": frozenset({"role"}),
}
_KIND_OF = {word: kind for kind, words in KINDS.items() for word in words}
# Words whose entities live in a domain that colours their neighbours (a pet's category is "Dogs").
DOMAINS = {"pet": "pets"}
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "data": "data",
              "media": "media", "statuses": "status", "addresses": "address", "aliases": "alias"}


def words_of(name: str) -> list[str]:
    """`validUntil` → ['valid', 'until']; `x-expires-after` → ['x', 'expires', 'after']; `photoURLs` →
    ['photo', 'urls']; `HTMLParser` → ['html', 'parser']."""
    return [w.lower() for w in _WORD.findall(name)]


def head_noun(name: str | None) -> str | None:
    """The word that names the thing: the last word that is not noise, singular (`CreateUserRequest` → user)."""
    if not name:
        return None
    words = [w for w in words_of(name) if w not in NOISE and not w.isdigit()]
    return singular(words[-1]) if words else None


def kind_of(noun: str | None) -> str | None:
    return _KIND_OF.get(noun) if noun else None


@dataclass(frozen=True, slots=True)
class Entity:
    """The object a property belongs to: its head noun, the noun's kind, and the domain around it."""

    noun: str | None = None
    kind: str | None = None
    domain: str | None = None
    person: bool = False  # the object describes a person: its name, email and username belong together

    @classmethod
    def named(cls, name: str | None, domain: str | None = None) -> Entity:
        noun = head_noun(name)
        kind = kind_of(noun)
        return cls(noun, kind, DOMAINS.get(kind or "", domain), kind == "person")


NO_ENTITY = Entity()


def singular_name(name: str | None) -> str | None:
    """The name of one item of a list property, case kept: `photoUrls` → `photoUrl`, `categories` →
    `category`, `addresses` → `address`; good enough for names of fields."""
    if not name:
        return name
    lower = name.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(name) > 4 and lower.endswith("ies"):
        return name[:-3] + "y"
    if len(name) > 4 and lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        return name[:-2]
    if len(name) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return name[:-1]
    return name


def singular(word: str) -> str:
    return singular_name(word) or word
