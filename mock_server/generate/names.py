"""Realistic values chosen by a field's name and the object it belongs to (`Pet.name` → "Luna",
`Category.name` → "Dogs", `photoUrls[]` → an image URL, `country_code` → "DE", `expiresAt` ahead).

Decided once per field at compile time (`string_provider`, `number_hint`); a request only calls the
chosen function. A guess from a name never overrides the contract: `scalars.StringNode` keeps a
guessed value only when it fits the field's pattern and lengths, and formats other than the few a
name can refine (dates, URLs, emails) are left to `formats.py`; enums and consts never get here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import dates, formats, makers, people, wordlists
from .entities import NO_ENTITY, Entity, words_of
from .makers import StrFn

URI_FORMATS = frozenset({"uri", "url", "iri", "uri-reference", "iri-reference"})
EMAIL_FORMATS = frozenset({"email", "idn-email"})


@dataclass(frozen=True, slots=True)
class NameProvider:
    """`exact` values lose their meaning when cut (an email without its domain), text does not."""

    make: StrFn
    exact: bool = True


def entity_name(entity: Entity) -> NameProvider:
    """What the `name` of this kind of thing looks like."""
    kind, pets = entity.kind, entity.domain == "pets"
    if kind == "pet":
        return NameProvider(makers.pick(wordlists.PET_NAMES), exact=False)
    if kind == "category":
        return NameProvider(makers.pick(wordlists.PET_CATEGORIES if pets else wordlists.CATEGORIES), exact=False)
    if kind == "tag":
        return NameProvider(makers.pick(wordlists.PET_TAGS if pets else wordlists.TAGS), exact=False)
    if kind == "product":
        return NameProvider(makers.product, exact=False)
    if kind == "company":
        return NameProvider(makers.company, exact=False)
    if kind == "city":
        return NameProvider(makers.pick(wordlists.CITIES), exact=False)
    if kind == "country":
        return NameProvider(makers.faker("country"), exact=False)
    if kind == "place":
        return NameProvider(makers.place(entity.noun or "office"), exact=False)
    if kind == "file":
        return NameProvider(makers.file)
    if kind == "role":
        return NameProvider(makers.pick(wordlists.ROLES))
    if kind == "person":
        return NameProvider(people.full_name, exact=False)
    return NameProvider(makers.thing, exact=False)


# Plain-string fields by their normalised name (`first_name`, `firstName` → firstname).
STRING_NAMES: dict[str, NameProvider] = {
    "city": NameProvider(makers.pick(wordlists.CITIES), exact=False),
    "town": NameProvider(makers.pick(wordlists.CITIES), exact=False),
    "state": NameProvider(makers.faker("state"), exact=False),
    "region": NameProvider(makers.faker("state"), exact=False),
    "province": NameProvider(makers.faker("state"), exact=False),
    "country": NameProvider(makers.faker("country"), exact=False),
    "countryname": NameProvider(makers.faker("country"), exact=False),
    "countrycode": NameProvider(makers.country_code),
    "countryiso": NameProvider(makers.country_code),
    "iso2": NameProvider(makers.country_code),
    "iso3": NameProvider(makers.country_code3),
    "street": NameProvider(makers.street, exact=False),
    "streetaddress": NameProvider(makers.street, exact=False),
    "address": NameProvider(makers.street, exact=False),
    "address1": NameProvider(makers.street, exact=False),
    "addressline1": NameProvider(makers.street, exact=False),
    "line1": NameProvider(makers.street, exact=False),
    "address2": NameProvider(makers.faker("secondary_address"), exact=False),
    "addressline2": NameProvider(makers.faker("secondary_address"), exact=False),
    "line2": NameProvider(makers.faker("secondary_address"), exact=False),
    "zip": NameProvider(makers.faker("postcode")),
    "zipcode": NameProvider(makers.faker("postcode")),
    "postcode": NameProvider(makers.faker("postcode")),
    "postalcode": NameProvider(makers.faker("postcode")),
    "phone": NameProvider(makers.phone),
    "phonenumber": NameProvider(makers.phone),
    "mobile": NameProvider(makers.phone),
    "mobilephone": NameProvider(makers.phone),
    "telephone": NameProvider(makers.phone),
    "tel": NameProvider(makers.phone),
    "fax": NameProvider(makers.phone),
    "cell": NameProvider(makers.phone),
    "company": NameProvider(makers.company, exact=False),
    "companyname": NameProvider(makers.company, exact=False),
    "organization": NameProvider(makers.company, exact=False),
    "organisation": NameProvider(makers.company, exact=False),
    "employer": NameProvider(makers.company, exact=False),
    "brand": NameProvider(makers.company, exact=False),
    "manufacturer": NameProvider(makers.company, exact=False),
    "jobtitle": NameProvider(makers.pick(wordlists.JOB_TITLES), exact=False),
    "occupation": NameProvider(makers.pick(wordlists.JOB_TITLES), exact=False),
    "department": NameProvider(makers.pick(wordlists.DEPARTMENTS), exact=False),
    "title": NameProvider(makers.title, exact=False),
    "headline": NameProvider(makers.title, exact=False),
    "subject": NameProvider(makers.title, exact=False),
    "description": NameProvider(makers.text, exact=False),
    "summary": NameProvider(makers.sentence, exact=False),
    "bio": NameProvider(makers.text, exact=False),
    "about": NameProvider(makers.text, exact=False),
    "notes": NameProvider(makers.text, exact=False),
    "note": NameProvider(makers.sentence, exact=False),
    "text": NameProvider(makers.text, exact=False),
    "content": NameProvider(makers.text, exact=False),
    "body": NameProvider(makers.text, exact=False),
    "message": NameProvider(makers.sentence, exact=False),
    "comment": NameProvider(makers.sentence, exact=False),
    "website": NameProvider(makers.website),
    "homepage": NameProvider(makers.website),
    "web": NameProvider(makers.website),
    "blog": NameProvider(makers.website),
    "currency": NameProvider(makers.faker("currency_code")),
    "currencycode": NameProvider(makers.faker("currency_code")),
    "color": NameProvider(makers.pick(wordlists.COLOURS), exact=False),
    "colour": NameProvider(makers.pick(wordlists.COLOURS), exact=False),
    "hexcolor": NameProvider(makers.colour_hex),
    "colorhex": NameProvider(makers.colour_hex),
    "language": NameProvider(makers.faker("language_code")),
    "languagecode": NameProvider(makers.faker("language_code")),
    "lang": NameProvider(makers.faker("language_code")),
    "locale": NameProvider(makers.pick(wordlists.LOCALES)),
    "timezone": NameProvider(makers.faker("timezone")),
    "tz": NameProvider(makers.faker("timezone")),
    "tenant": NameProvider(makers.slug),
    "tenantid": NameProvider(makers.slug),
    "slug": NameProvider(makers.slug),
    "uuid": NameProvider(formats.uuid4),
    "guid": NameProvider(formats.uuid4),
    "ip": NameProvider(formats.ipv4),
    "ipaddress": NameProvider(formats.ipv4),
    "mac": NameProvider(makers.faker("mac_address")),
    "macaddress": NameProvider(makers.faker("mac_address")),
    "hostname": NameProvider(makers.host),
    "domain": NameProvider(makers.host),
    "host": NameProvider(makers.host),
    "password": NameProvider(formats.password),
    "token": NameProvider(makers.hex(40)),
    "accesstoken": NameProvider(makers.hex(40)),
    "refreshtoken": NameProvider(makers.hex(40)),
    "apikey": NameProvider(makers.hex(32)),
    "secret": NameProvider(makers.hex(32)),
    "hash": NameProvider(makers.hex(40)),
    "checksum": NameProvider(makers.hex(40)),
    "sha": NameProvider(makers.hex(40)),
    "etag": NameProvider(makers.hex(16)),
    "sku": NameProvider(lambda s: s.faker.bothify("???-#####").upper()),
    "isbn": NameProvider(makers.faker("isbn13")),
    "ean": NameProvider(makers.faker("ean13")),
    "barcode": NameProvider(makers.faker("ean13")),
    "gtin": NameProvider(makers.faker("ean13")),
    "iban": NameProvider(makers.faker("iban")),
    "bic": NameProvider(makers.faker("swift")),
    "swift": NameProvider(makers.faker("swift")),
    "code": NameProvider(makers.code),
    "couponcode": NameProvider(makers.code),
    "promocode": NameProvider(makers.code),
    "version": NameProvider(makers.version),
    "mimetype": NameProvider(makers.pick(wordlists.MIME_TYPES)),
    "contenttype": NameProvider(makers.pick(wordlists.MIME_TYPES)),
    "mediatype": NameProvider(makers.pick(wordlists.MIME_TYPES)),
    "filename": NameProvider(makers.file),
    "file": NameProvider(makers.file),
    "useragent": NameProvider(makers.faker("user_agent")),
    "author": NameProvider(people.full_name, exact=False),
    "nickname": NameProvider(lambda s: people.FIRST_NAMES.pick(s), exact=False),
    "status": NameProvider(makers.pick(wordlists.STATUSES)),
    "role": NameProvider(makers.pick(wordlists.ROLES)),
    "category": NameProvider(makers.pick(wordlists.CATEGORIES), exact=False),
    "tag": NameProvider(makers.pick(wordlists.TAGS), exact=False),
    "keyword": NameProvider(makers.pick(wordlists.TAGS), exact=False),
    "label": NameProvider(makers.thing, exact=False),
    "product": NameProvider(makers.product, exact=False),
    "productname": NameProvider(makers.product, exact=False),
}
IMAGE_WORDS = frozenset({
    "photo", "image", "avatar", "picture", "thumbnail", "thumb", "logo", "icon", "banner", "cover", "img", "pic",
    "headshot", "poster", "portrait", "photos", "images",
})
DOCS_WORDS = frozenset({"moreinfo", "documentation", "docs", "doc", "help", "learnmore", "info", "errorinfo"})
URL_WORDS = frozenset({"url", "urls", "uri", "uris", "href", "link", "links", "src", "self"})
ID_SUFFIX = re.compile(r"(?:^|[_\-.])id$|[a-z0-9]Id$|ID$", re.ASCII)
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
        return makers.image
    if key in DOCS_WORDS or (urlish and DOCS_WORDS.intersection(words)) or key in ("moreinfourl", "errorurl"):
        return makers.docs
    if key in ("website", "homepage", "websiteurl", "homepageurl", "web", "blog", "site", "siteurl"):
        return makers.website
    return makers.link if urlish else None


def string_provider(
    name: str | None, entity: Entity = NO_ENTITY, fmt: str | None = None, lengths: tuple[int, int | None] = (0, None)
) -> NameProvider | None:
    """A provider for a string property called `name` of `entity`, or None when the name says nothing
    the format does not already say. `fmt` is the declared format, if it is one `formats` knows."""
    if not name:
        return None
    if fmt in dates.FORMATS:
        return NameProvider(dates.for_field(name, fmt, entity.kind in (None, "person")))
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
        return NameProvider(makers.pick(wordlists.JOB_TITLES), exact=False)
    if key in ("country", "countryname", "countrycode") and lengths[1] is not None and lengths[1] <= 3:
        return NameProvider(makers.country_code3 if lengths[0] == 3 else makers.country_code)
    if key in ("category", "tag", "keyword") and entity.domain == "pets":
        return entity_name(Entity.named(key, entity.domain))
    found = STRING_NAMES.get(key)
    if found is not None:
        return found
    url = url_kind(name)
    if url is not None:
        return NameProvider(url)
    return _by_suffix(name, key, entity.kind in (None, "person"))


def _by_suffix(name: str, key: str, person: bool) -> NameProvider | None:
    if ID_SUFFIX.search(name) or key == "id":
        return NameProvider(formats.uuid4)
    if _DATETIME_SUFFIX.search(name):
        return NameProvider(dates.for_field(name, "date-time", person))
    words = words_of(name)
    last = words[-1] if words else ""
    if key.endswith("email"):
        return NameProvider(people.persona_field("email"))
    if last == "date" or key.endswith("date"):
        return NameProvider(dates.for_field(name, "date", person))
    if last in ("phone", "mobile", "fax") or key.endswith("phonenumber"):
        return NameProvider(makers.phone)
    if last == "name" and len(words) > 1:
        return entity_name(Entity.named("".join(words[:-1])))
    if last == "description":
        return NameProvider(makers.text, exact=False)
    if last in ("title", "subject"):
        return NameProvider(makers.title, exact=False)
    if last in ("color", "colour"):
        return NameProvider(makers.pick(wordlists.COLOURS), exact=False)
    if last == "code" and len(words) > 1:
        return NameProvider(makers.code)
    return None
