"""Realistic values for well-known property names (`email`, `price`, `createdAt`...).

Only consulted for plain strings (no format, enum, pattern or const) and price-like numbers,
so a contract's own constraints always win over a guess made from a name.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from faker.providers.person.en_US import Provider as _Person

from . import formats
from .source import Source

StrFn = Callable[[Source], str]


@dataclass(frozen=True, slots=True)
class NameProvider:
    """`exact` values lose their meaning when cut (an email without its domain), text does not."""

    make: StrFn
    exact: bool = True


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


def _full_name(source: Source) -> str:
    return f"{FIRST_NAMES.pick(source)} {LAST_NAMES.pick(source)}"


def _text(source: Source) -> str:
    return source.faker.paragraph(nb_sentences=source.rng.randint(1, 3))


def _slug(source: Source) -> str:
    return "-".join(formats.words(source, source.rng.randint(2, 3)))


def _image(source: Source) -> str:
    return f"https://picsum.photos/seed/{source.rng.randint(1, 99999)}/{source.rng.choice((200, 400, 640))}"


def _f(method: str) -> StrFn:
    return lambda source: str(getattr(source.faker, method)())


def _loose(method: str) -> NameProvider:
    return NameProvider(_f(method), exact=False)


STRING_NAMES: dict[str, NameProvider] = {
    "name": NameProvider(_full_name, exact=False),
    "fullname": NameProvider(_full_name, exact=False),
    "displayname": NameProvider(_full_name, exact=False),
    "firstname": NameProvider(FIRST_NAMES.pick, exact=False),
    "givenname": NameProvider(FIRST_NAMES.pick, exact=False),
    "lastname": NameProvider(LAST_NAMES.pick, exact=False),
    "surname": NameProvider(LAST_NAMES.pick, exact=False),
    "familyname": NameProvider(LAST_NAMES.pick, exact=False),
    "username": _loose("user_name"),
    "login": _loose("user_name"),
    "email": NameProvider(formats.email),
    "emailaddress": NameProvider(formats.email),
    "phone": NameProvider(_f("phone_number")),
    "phonenumber": NameProvider(_f("phone_number")),
    "mobile": NameProvider(_f("phone_number")),
    "city": _loose("city"),
    "state": _loose("state"),
    "country": _loose("country"),
    "countrycode": NameProvider(_f("country_code")),
    "street": _loose("street_address"),
    "streetaddress": _loose("street_address"),
    "address": _loose("address"),
    "zip": NameProvider(_f("postcode")),
    "zipcode": NameProvider(_f("postcode")),
    "postcode": NameProvider(_f("postcode")),
    "postalcode": NameProvider(_f("postcode")),
    "company": _loose("company"),
    "companyname": _loose("company"),
    "organization": _loose("company"),
    "title": NameProvider(lambda s: s.faker.sentence(nb_words=4).rstrip("."), exact=False),
    "description": NameProvider(_text, exact=False),
    "summary": NameProvider(lambda s: s.faker.sentence(), exact=False),
    "text": NameProvider(_text, exact=False),
    "content": NameProvider(_text, exact=False),
    "body": NameProvider(_text, exact=False),
    "message": NameProvider(lambda s: s.faker.sentence(), exact=False),
    "comment": NameProvider(lambda s: s.faker.sentence(), exact=False),
    "url": NameProvider(formats.uri),
    "website": NameProvider(_f("url")),
    "homepage": NameProvider(_f("url")),
    "link": NameProvider(formats.uri),
    "href": NameProvider(formats.uri),
    "image": NameProvider(_image),
    "imageurl": NameProvider(_image),
    "avatar": NameProvider(_image),
    "avatarurl": NameProvider(_image),
    "photo": NameProvider(_image),
    "photourl": NameProvider(_image),
    "thumbnail": NameProvider(_image),
    "currency": NameProvider(_f("currency_code")),
    "currencycode": NameProvider(_f("currency_code")),
    "color": NameProvider(_f("color_name")),
    "colour": NameProvider(_f("color_name")),
    "language": NameProvider(_f("language_code")),
    "lang": NameProvider(_f("language_code")),
    "locale": NameProvider(_f("locale")),
    "timezone": NameProvider(_f("timezone")),
    "tenant": NameProvider(_slug),
    "tenantid": NameProvider(_slug),
    "slug": NameProvider(_slug),
    "uuid": NameProvider(formats.uuid4),
    "guid": NameProvider(formats.uuid4),
    "createdat": NameProvider(formats.date_time),
    "updatedat": NameProvider(formats.date_time),
    "deletedat": NameProvider(formats.date_time),
    "modifiedat": NameProvider(formats.date_time),
    "publishedat": NameProvider(formats.date_time),
    "timestamp": NameProvider(formats.date_time),
    "date": NameProvider(formats.date),
    "birthdate": NameProvider(formats.date),
    "dateofbirth": NameProvider(formats.date),
    "dob": NameProvider(formats.date),
    "ip": NameProvider(formats.ipv4),
    "ipaddress": NameProvider(formats.ipv4),
    "hostname": NameProvider(formats.hostname),
    "domain": NameProvider(formats.hostname),
    "password": NameProvider(formats.password),
    "token": NameProvider(lambda s: s.faker.sha1()),
    "sku": NameProvider(lambda s: s.faker.bothify("???-#####").upper()),
    "isbn": NameProvider(_f("isbn13")),
    "author": NameProvider(_full_name, exact=False),
    "status": NameProvider(lambda s: s.rng.choice(("active", "pending", "inactive"))),
    "tag": _loose("word"),
}

PRICE_NAMES = frozenset({"price", "amount", "cost", "total", "subtotal", "balance", "fee", "unitprice"})
_ID_SUFFIX = re.compile(r"(?:^|[_\-.])id$|[a-z0-9]Id$|ID$", re.ASCII)
_DATETIME_SUFFIX = re.compile(r"(?:ed|_|-)(?:at|on)$|[a-z]edAt$|[a-z](?:At|On)$", re.ASCII)


def normalize(name: str) -> str:
    """`first_name`, `firstName` and `First-Name` all become `firstname`."""
    return name.lower().replace("_", "").replace("-", "")


def string_provider(name: str | None) -> NameProvider | None:
    """A provider for a plain-string property called `name`, or None when the name says nothing."""
    if not name:
        return None
    provider = STRING_NAMES.get(normalize(name))
    if provider is not None:
        return provider
    if _ID_SUFFIX.search(name) or normalize(name) == "id":
        return NameProvider(formats.uuid4)
    if _DATETIME_SUFFIX.search(name):
        return NameProvider(formats.date_time)
    key = normalize(name)
    if key.endswith("email"):
        return NameProvider(formats.email)
    if key.endswith("url") or key.endswith("uri"):
        return NameProvider(formats.uri)
    if key.endswith("date"):
        return NameProvider(formats.date)
    if key.endswith("name"):
        return NameProvider(_full_name, exact=False)
    return None


def is_price(name: str | None) -> bool:
    """Price-like numbers get two decimals and a shop-like range."""
    if not name:
        return False
    key = normalize(name)
    return key in PRICE_NAMES or key.endswith("price") or key.endswith("amount")
