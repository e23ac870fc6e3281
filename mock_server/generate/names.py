"""Realistic values chosen by a field's name and the object it belongs to (`Pet.name` → "Luna",
`Category.name` → "Dogs", `photoUrls[]` → an image URL, `country_code` → "DE", `expiresAt` ahead).

Decided once per field at compile time (`string_provider`, `number_hint`); a request only calls the
chosen function. A guess from a name never overrides the contract: `scalars.StringNode` keeps a
guessed value only when it fits the field's pattern and lengths, and formats other than the few a
name can refine (dates, URLs, emails) are left to `formats.py`; enums and consts never get here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import dates, formats, people, wordlists
from .entities import NO_ENTITY, Entity, words_of
from .source import Source

StrFn = Callable[[Source], str]
URI_FORMATS = frozenset({"uri", "url", "iri", "uri-reference", "iri-reference"})
EMAIL_FORMATS = frozenset({"email", "idn-email"})


@dataclass(frozen=True, slots=True)
class NameProvider:
    """`exact` values lose their meaning when cut (an email without its domain), text does not."""

    make: StrFn
    exact: bool = True


def _pick(values: tuple[str, ...]) -> StrFn:
    return lambda source: source.rng.choice(values)


def _faker(method: str) -> StrFn:
    return lambda source: str(getattr(source.faker, method)())


def _text(source: Source) -> str:
    return source.faker.paragraph(nb_sentences=source.rng.randint(1, 3))


def _sentence(source: Source) -> str:
    return source.faker.sentence()


def _title(source: Source) -> str:
    return source.faker.sentence(nb_words=4).rstrip(".")


def _slug(source: Source) -> str:
    return "-".join(formats.words(source, source.rng.randint(2, 3)))


def _last(source: Source) -> str:
    return people.LAST_NAMES.pick(source)


def _company(source: Source) -> str:
    return f"{_last(source)} {source.rng.choice(wordlists.COMPANY_SUFFIXES)}"


def _host(source: Source) -> str:
    return f"{re.sub('[^a-z]', '', _last(source).lower())}.{source.rng.choice(wordlists.TLDS)}"


def _website(source: Source) -> str:
    return f"https://www.{_host(source)}"


def _link(source: Source) -> str:
    return f"https://api.{_host(source)}/{source.rng.choice(formats.WORDS)}/{source.rng.randint(1, 9999)}"


def _image(source: Source) -> str:
    size = source.rng.choice(("640/480", "800/600", "400/400", "1024/768"))
    return f"https://picsum.photos/seed/{source.rng.randint(1, 99999)}/{size}.jpg"


def _docs(source: Source) -> str:
    return f"https://docs.{_host(source)}/errors/{_slug(source)}"


def _product(source: Source) -> str:
    rng = source.rng
    return f"{rng.choice(wordlists.PRODUCT_ADJECTIVES)} {rng.choice(wordlists.PRODUCT_MATERIALS)} {rng.choice(wordlists.PRODUCT_NOUNS)}"


def _thing(source: Source) -> str:
    """The name of something the contract does not say more about: "Silver Harbor"."""
    return f"{source.rng.choice(wordlists.NAME_ADJECTIVES)} {source.rng.choice(wordlists.NAME_NOUNS)}"


def _file(source: Source) -> str:
    rng = source.rng
    return f"{rng.choice(wordlists.FILE_STEMS)}-{rng.randint(2019, 2025)}-{rng.randint(1, 999):03d}.{rng.choice(wordlists.FILE_EXTENSIONS)}"


def _street(source: Source) -> str:
    rng = source.rng
    return f"{rng.randint(1, 9999)} {rng.choice(wordlists.STREETS)} {rng.choice(wordlists.STREET_SUFFIXES)}"


def _phone(source: Source) -> str:
    """A North American number in the 555-01xx range, reserved for fiction: it reaches nobody."""
    return f"+1-{source.rng.randint(201, 989)}-555-01{source.rng.randint(0, 99):02d}"


def _code(source: Source) -> str:
    return source.faker.bothify("???-####").upper()


def _country_code(source: Source) -> str:
    return source.faker.country_code()


def _country_code3(source: Source) -> str:
    return source.faker.country_code(representation="alpha-3")


def _version(source: Source) -> str:
    rng = source.rng
    return f"{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"


def _hex(size: int) -> StrFn:
    return lambda source: f"{source.rng.getrandbits(size * 4):0{size}x}"


def _place(noun: str) -> StrFn:
    return lambda source: f"{source.rng.choice(wordlists.CITIES)} {noun.title()}"


def _colour_hex(source: Source) -> str:
    return f"#{source.rng.getrandbits(24):06x}"


def entity_name(entity: Entity) -> NameProvider:
    """What the `name` of this kind of thing looks like."""
    kind, pets = entity.kind, entity.domain == "pets"
    if kind == "pet":
        return NameProvider(_pick(wordlists.PET_NAMES), exact=False)
    if kind == "category":
        return NameProvider(_pick(wordlists.PET_CATEGORIES if pets else wordlists.CATEGORIES), exact=False)
    if kind == "tag":
        return NameProvider(_pick(wordlists.PET_TAGS if pets else wordlists.TAGS), exact=False)
    if kind == "product":
        return NameProvider(_product, exact=False)
    if kind == "company":
        return NameProvider(_company, exact=False)
    if kind == "city":
        return NameProvider(_pick(wordlists.CITIES), exact=False)
    if kind == "country":
        return NameProvider(_faker("country"), exact=False)
    if kind == "place":
        return NameProvider(_place(entity.noun or "office"), exact=False)
    if kind == "file":
        return NameProvider(_file)
    if kind == "role":
        return NameProvider(_pick(wordlists.ROLES))
    if kind == "person":
        return NameProvider(people.full_name, exact=False)
    return NameProvider(_thing, exact=False)


# Plain-string fields by their normalised name (`first_name`, `firstName` → firstname).
STRING_NAMES: dict[str, NameProvider] = {
    "city": NameProvider(_pick(wordlists.CITIES), exact=False),
    "town": NameProvider(_pick(wordlists.CITIES), exact=False),
    "state": NameProvider(_faker("state"), exact=False),
    "region": NameProvider(_faker("state"), exact=False),
    "province": NameProvider(_faker("state"), exact=False),
    "country": NameProvider(_faker("country"), exact=False),
    "countryname": NameProvider(_faker("country"), exact=False),
    "countrycode": NameProvider(_country_code),
    "countryiso": NameProvider(_country_code),
    "iso2": NameProvider(_country_code),
    "iso3": NameProvider(_country_code3),
    "street": NameProvider(_street, exact=False),
    "streetaddress": NameProvider(_street, exact=False),
    "address": NameProvider(_street, exact=False),
    "address1": NameProvider(_street, exact=False),
    "addressline1": NameProvider(_street, exact=False),
    "line1": NameProvider(_street, exact=False),
    "address2": NameProvider(_faker("secondary_address"), exact=False),
    "addressline2": NameProvider(_faker("secondary_address"), exact=False),
    "line2": NameProvider(_faker("secondary_address"), exact=False),
    "zip": NameProvider(_faker("postcode")),
    "zipcode": NameProvider(_faker("postcode")),
    "postcode": NameProvider(_faker("postcode")),
    "postalcode": NameProvider(_faker("postcode")),
    "phone": NameProvider(_phone),
    "phonenumber": NameProvider(_phone),
    "mobile": NameProvider(_phone),
    "mobilephone": NameProvider(_phone),
    "telephone": NameProvider(_phone),
    "tel": NameProvider(_phone),
    "fax": NameProvider(_phone),
    "cell": NameProvider(_phone),
    "company": NameProvider(_company, exact=False),
    "companyname": NameProvider(_company, exact=False),
    "organization": NameProvider(_company, exact=False),
    "organisation": NameProvider(_company, exact=False),
    "employer": NameProvider(_company, exact=False),
    "brand": NameProvider(_company, exact=False),
    "manufacturer": NameProvider(_company, exact=False),
    "jobtitle": NameProvider(_pick(wordlists.JOB_TITLES), exact=False),
    "occupation": NameProvider(_pick(wordlists.JOB_TITLES), exact=False),
    "department": NameProvider(_pick(wordlists.DEPARTMENTS), exact=False),
    "title": NameProvider(_title, exact=False),
    "headline": NameProvider(_title, exact=False),
    "subject": NameProvider(_title, exact=False),
    "description": NameProvider(_text, exact=False),
    "summary": NameProvider(_sentence, exact=False),
    "bio": NameProvider(_text, exact=False),
    "about": NameProvider(_text, exact=False),
    "notes": NameProvider(_text, exact=False),
    "note": NameProvider(_sentence, exact=False),
    "text": NameProvider(_text, exact=False),
    "content": NameProvider(_text, exact=False),
    "body": NameProvider(_text, exact=False),
    "message": NameProvider(_sentence, exact=False),
    "comment": NameProvider(_sentence, exact=False),
    "website": NameProvider(_website),
    "homepage": NameProvider(_website),
    "web": NameProvider(_website),
    "blog": NameProvider(_website),
    "currency": NameProvider(_faker("currency_code")),
    "currencycode": NameProvider(_faker("currency_code")),
    "color": NameProvider(_pick(wordlists.COLOURS), exact=False),
    "colour": NameProvider(_pick(wordlists.COLOURS), exact=False),
    "hexcolor": NameProvider(_colour_hex),
    "colorhex": NameProvider(_colour_hex),
    "language": NameProvider(_faker("language_code")),
    "languagecode": NameProvider(_faker("language_code")),
    "lang": NameProvider(_faker("language_code")),
    "locale": NameProvider(_pick(wordlists.LOCALES)),
    "timezone": NameProvider(_faker("timezone")),
    "tz": NameProvider(_faker("timezone")),
    "tenant": NameProvider(_slug),
    "tenantid": NameProvider(_slug),
    "slug": NameProvider(_slug),
    "uuid": NameProvider(formats.uuid4),
    "guid": NameProvider(formats.uuid4),
    "ip": NameProvider(formats.ipv4),
    "ipaddress": NameProvider(formats.ipv4),
    "mac": NameProvider(_faker("mac_address")),
    "macaddress": NameProvider(_faker("mac_address")),
    "hostname": NameProvider(_host),
    "domain": NameProvider(_host),
    "host": NameProvider(_host),
    "password": NameProvider(formats.password),
    "token": NameProvider(_hex(40)),
    "accesstoken": NameProvider(_hex(40)),
    "refreshtoken": NameProvider(_hex(40)),
    "apikey": NameProvider(_hex(32)),
    "secret": NameProvider(_hex(32)),
    "hash": NameProvider(_hex(40)),
    "checksum": NameProvider(_hex(40)),
    "sha": NameProvider(_hex(40)),
    "etag": NameProvider(_hex(16)),
    "sku": NameProvider(lambda s: s.faker.bothify("???-#####").upper()),
    "isbn": NameProvider(_faker("isbn13")),
    "ean": NameProvider(_faker("ean13")),
    "barcode": NameProvider(_faker("ean13")),
    "gtin": NameProvider(_faker("ean13")),
    "iban": NameProvider(_faker("iban")),
    "bic": NameProvider(_faker("swift")),
    "swift": NameProvider(_faker("swift")),
    "code": NameProvider(_code),
    "couponcode": NameProvider(_code),
    "promocode": NameProvider(_code),
    "version": NameProvider(_version),
    "mimetype": NameProvider(_pick(wordlists.MIME_TYPES)),
    "contenttype": NameProvider(_pick(wordlists.MIME_TYPES)),
    "mediatype": NameProvider(_pick(wordlists.MIME_TYPES)),
    "filename": NameProvider(_file),
    "file": NameProvider(_file),
    "useragent": NameProvider(_faker("user_agent")),
    "author": NameProvider(people.full_name, exact=False),
    "nickname": NameProvider(lambda s: people.FIRST_NAMES.pick(s), exact=False),
    "status": NameProvider(_pick(wordlists.STATUSES)),
    "role": NameProvider(_pick(wordlists.ROLES)),
    "category": NameProvider(_pick(wordlists.CATEGORIES), exact=False),
    "tag": NameProvider(_pick(wordlists.TAGS), exact=False),
    "keyword": NameProvider(_pick(wordlists.TAGS), exact=False),
    "label": NameProvider(_thing, exact=False),
    "product": NameProvider(_product, exact=False),
    "productname": NameProvider(_product, exact=False),
}
IMAGE_WORDS = frozenset({
    "photo", "image", "avatar", "picture", "thumbnail", "thumb", "logo", "icon", "banner", "cover", "img", "pic",
    "headshot", "poster", "portrait", "photos", "images",
})
DOCS_WORDS = frozenset({"moreinfo", "documentation", "docs", "doc", "help", "learnmore", "info", "errorinfo"})
URL_WORDS = frozenset({"url", "urls", "uri", "uris", "href", "link", "links", "src", "self"})
_ID_SUFFIX = re.compile(r"(?:^|[_\-.])id$|[a-z0-9]Id$|ID$", re.ASCII)
_DATETIME_SUFFIX = re.compile(r"(?:ed|_|-)(?:at|on)$|[a-z]edAt$|[a-z](?:At|On)$", re.ASCII)


def normalize(name: str) -> str:
    """`first_name`, `firstName` and `First-Name` all become `firstname`."""
    return name.lower().replace("_", "").replace("-", "")


def url_kind(name: str | None) -> StrFn | None:
    """An image URL for photos and avatars, a documentation URL for `moreInfo`, a site for `website`,
    an API link for `href`/`*Url`; None when the name is not about a URL."""
    if not name:
        return None
    words, key = words_of(name), normalize(name)
    urlish = bool(URL_WORDS.intersection(words))
    if IMAGE_WORDS.intersection(words) and (urlish or len(words) == 1):
        return _image
    if key in DOCS_WORDS or (urlish and DOCS_WORDS.intersection(words)) or key in ("moreinfourl", "errorurl"):
        return _docs
    if key in ("website", "homepage", "websiteurl", "homepageurl", "web", "blog", "site", "siteurl"):
        return _website
    return _link if urlish else None


def string_provider(
    name: str | None, entity: Entity = NO_ENTITY, fmt: str | None = None, lengths: tuple[int, int | None] = (0, None)
) -> NameProvider | None:
    """A provider for a string property called `name` of `entity`, or None when the name says nothing
    the format does not already say. `fmt` is the declared format, if it is one `formats` knows."""
    if not name:
        return None
    if fmt in dates.FORMATS:
        return NameProvider(dates.for_field(name, fmt))
    role = people.role_of(name)
    if fmt in URI_FORMATS:
        found = url_kind(name)
        return NameProvider(found) if found is not None else None
    if fmt in EMAIL_FORMATS:
        return NameProvider(people.persona_field("email")) if role == "email" else None
    if fmt is not None:
        return None  # uuid, ipv4, byte...: the format says it all
    return _plain(name, entity, role, lengths)


def _plain(name: str, entity: Entity, role: str | None, lengths: tuple[int, int | None]) -> NameProvider | None:
    key = normalize(name)
    if role is not None and (entity.person or role not in ("full", "initials")):
        return NameProvider(people.persona_field(role), exact=role in ("email", "username"))
    if key in ("name", "displayname"):
        return entity_name(entity)
    if key == "title" and entity.kind == "person":
        return NameProvider(_pick(wordlists.JOB_TITLES), exact=False)
    if key in ("country", "countryname", "countrycode") and lengths[1] is not None and lengths[1] <= 3:
        return NameProvider(_country_code3 if lengths[0] == 3 else _country_code)
    if key in ("category", "tag", "keyword") and entity.domain == "pets":
        return entity_name(Entity.named(key, entity.domain))
    found = STRING_NAMES.get(key)
    if found is not None:
        return found
    url = url_kind(name)
    if url is not None:
        return NameProvider(url)
    return _by_suffix(name, key)


def _by_suffix(name: str, key: str) -> NameProvider | None:
    if _ID_SUFFIX.search(name) or key == "id":
        return NameProvider(formats.uuid4)
    if _DATETIME_SUFFIX.search(name):
        return NameProvider(dates.for_field(name, "date-time"))
    words = words_of(name)
    last = words[-1] if words else ""
    if key.endswith("email"):
        return NameProvider(people.persona_field("email"))
    if last == "date" or key.endswith("date"):
        return NameProvider(dates.for_field(name, "date"))
    if last in ("phone", "mobile", "fax") or key.endswith("phonenumber"):
        return NameProvider(_phone)
    if last == "name" and len(words) > 1:
        return entity_name(Entity.named("".join(words[:-1])))
    if last == "description":
        return NameProvider(_text, exact=False)
    if last in ("title", "subject"):
        return NameProvider(_title, exact=False)
    if last in ("color", "colour"):
        return NameProvider(_pick(wordlists.COLOURS), exact=False)
    if last == "code" and len(words) > 1:
        return NameProvider(_code)
    return None


@dataclass(frozen=True, slots=True)
class NumberHint:
    """A realistic window for a number field (`quantity` 1–20, `rating` 1–5), kept inside the schema's bounds."""

    low: float
    high: float
    decimals: int = 0


PRICE = NumberHint(1, 500, 2)
COUNT = NumberHint(0, 100)
NUMBER_HINTS: dict[str, NumberHint] = {
    "quantity": NumberHint(1, 20), "qty": NumberHint(1, 20), "count": NumberHint(0, 100),
    "stock": NumberHint(0, 500), "inventory": NumberHint(0, 500), "age": NumberHint(1, 90),
    "rating": NumberHint(1, 5, 1), "stars": NumberHint(1, 5), "score": NumberHint(0, 100, 1),
    "percent": NumberHint(0, 100, 1), "percentage": NumberHint(0, 100, 1), "discount": NumberHint(0, 50),
    "year": NumberHint(1990, 2025), "latitude": NumberHint(-90, 90, 6), "lat": NumberHint(-90, 90, 6),
    "longitude": NumberHint(-180, 180, 6), "lng": NumberHint(-180, 180, 6), "lon": NumberHint(-180, 180, 6),
    "width": NumberHint(100, 1920), "height": NumberHint(100, 1080), "page": NumberHint(1, 10),
    "pagesize": NumberHint(10, 50), "perpage": NumberHint(10, 50), "limit": NumberHint(10, 50),
    "offset": NumberHint(0, 100), "priority": NumberHint(1, 5), "level": NumberHint(1, 10),
    "version": NumberHint(1, 10), "port": NumberHint(1024, 65535), "duration": NumberHint(1, 3600),
    "expiresin": NumberHint(300, 86400), "ttl": NumberHint(60, 86400), "timeout": NumberHint(1, 120),
    "retryafter": NumberHint(1, 120), "size": NumberHint(1, 100), "filesize": NumberHint(1024, 10_000_000),
    "bytes": NumberHint(1024, 10_000_000), "weight": NumberHint(1, 50, 2), "temperature": NumberHint(-10, 35, 1),
}
PRICE_NAMES = frozenset({"price", "amount", "cost", "total", "subtotal", "balance", "fee", "unitprice", "tax"})
ID_HINT = NumberHint(1, 9999)


def number_hint(name: str | None, integer: bool = False) -> NumberHint | None:
    """The window a number called `name` usually lives in, or None to keep the schema's own. An
    integer `total` is a count of items, a decimal one a sum of money."""
    if not name:
        return None
    key = normalize(name)
    if key == "total" and integer:
        return COUNT
    if key in PRICE_NAMES or key.endswith(("price", "amount", "cost", "total")):
        return PRICE
    found = NUMBER_HINTS.get(key)
    if found is not None:
        return found
    if key == "id" or _ID_SUFFIX.search(name):
        return ID_HINT
    words = words_of(name)
    last = words[-1] if words else ""
    if last in ("count", "total", "number", "num") or key.startswith(("num", "numberof", "total")):
        return COUNT
    return NUMBER_HINTS.get(last)


def is_price(name: str | None) -> bool:
    """Price-like numbers get two decimals and a shop-like range."""
    return number_hint(name) is PRICE
