"""Well-known property names, and the object they belong to, get realistic values (a pet's name, a
category under a pet, a user's matching name and email, image URLs for photos), but never override
the contract's constraints."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from faker.providers.address.en_US import Provider as _Address

from mock_server.contracts.validators import compile_validator
from mock_server.generate import Source, compile_schema, makers, new_faker, wordlists
from mock_server.generate.entities import Entity, singular_name

FAKER = new_faker()
ALPHA2 = set(_Address.alpha_2_country_codes)


def field(name: str, schema: dict[str, Any], seed: int = 3) -> Any:
    wrapper = {"type": "object", "required": [name], "properties": {name: schema}}
    value = compile_schema(wrapper, {})(Source.from_seed(seed, FAKER))
    assert compile_validator(wrapper, {}).is_valid(value)
    return value[name]


@pytest.mark.parametrize(("name", "check"), [
    ("email", lambda v: "@" in v),
    ("contact_email", lambda v: "@" in v),
    ("firstName", lambda v: v.isalpha()),
    ("country_code", lambda v: re.fullmatch(r"[A-Z]{2}", v)),
    ("Country-Code", lambda v: re.fullmatch(r"[A-Z]{2}", v)),
    ("currency", lambda v: re.fullmatch(r"[A-Z]{3}", v)),
    ("avatar", lambda v: v.startswith("data:image/svg+xml,")),
    ("id", lambda v: re.fullmatch(r"[0-9a-f-]{36}", v)),
    ("userId", lambda v: re.fullmatch(r"[0-9a-f-]{36}", v)),
    ("created_at", lambda v: re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v)),
    ("updatedAt", lambda v: v.endswith("Z")),
    ("description", lambda v: len(v.split()) >= 3),
    ("slug", lambda v: re.fullmatch(r"[a-z]+(-[a-z]+)+", v)),
    ("photoUrl", lambda v: v.startswith("data:image/svg+xml,")),
    ("thumbnail_url", lambda v: v.startswith("data:image/svg+xml,")),
    ("logo", lambda v: v.startswith("data:image/svg+xml,")),
    ("moreInfo", lambda v: re.fullmatch(r"https://docs\.[a-z]+\.[a-z]+/errors/[a-z-]+", v)),
    ("website", lambda v: re.fullmatch(r"https://www\.[a-z]+\.[a-z]+", v)),
    ("href", lambda v: re.fullmatch(r"https://api\.[a-z]+\.[a-z]+/\w+/\d+", v)),
    ("callbackUrl", lambda v: v.startswith("https://api.")),
    ("locale", lambda v: v in wordlists.LOCALES),
    ("language", lambda v: re.fullmatch(r"[a-z]{2,3}", v)),
    ("color", lambda v: v in wordlists.COLOURS),
    ("jobTitle", lambda v: v in wordlists.JOB_TITLES),
    ("sku", lambda v: re.fullmatch(r"[A-Z]{3}-\d{5}", v)),
    ("version", lambda v: re.fullmatch(r"\d+\.\d+\.\d+", v)),
])
def test_string_names(name: str, check: Any) -> None:
    for seed in range(5):
        assert check(field(name, {"type": "string"}, seed)), name


def test_price_is_a_two_decimal_number() -> None:
    for seed in range(10):
        price = field("price", {"type": "number", "minimum": 0}, seed)
        assert isinstance(price, (int, float)) and round(price, 2) == price and price >= 0


def test_constraints_win_over_names() -> None:
    assert field("email", {"type": "string", "format": "uuid"}).count("-") == 4
    assert field("email", {"type": "string", "enum": ["x"]}) == "x"
    assert len(field("description", {"type": "string", "maxLength": 10})) <= 10
    assert len(field("name", {"type": "string", "minLength": 40})) >= 40
    assert re.fullmatch(r"\d+", field("id", {"type": "string", "pattern": r"^\d+$"}))


def test_non_string_ids_are_left_alone() -> None:
    assert isinstance(field("id", {"type": "integer"}), int)


def test_names_not_matching_stay_generic() -> None:
    assert "@" not in field("paid", {"type": "string"})


# --- names by context: the object a field belongs to decides what it looks like -------------------


PETSTORE_DEFS: dict[str, Any] = {
    "Category": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "Tag": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "Pet": {"type": "object", "required": ["name", "photoUrls"], "properties": {
        "id": {"type": "integer", "format": "int64"}, "name": {"type": "string"},
        "category": {"$ref": "#/$defs/Category"},
        "photoUrls": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}}}},
    "Shop": {"type": "object", "properties": {
        "category": {"$ref": "#/$defs/Category"}, "tags": {"type": "array", "items": {"type": "string"}}}},
}


def generate(schema: dict[str, Any], defs: dict[str, Any] | None = None, seed: int = 3) -> Any:
    value = compile_schema(schema, defs or {})(Source.from_seed(seed, FAKER))
    assert compile_validator(schema, defs or {}).is_valid(value)
    return value


def is_placeholder_image(url: str) -> bool:
    """An SVG picture in a `data:` URL that parses as XML and says its size: it shows offline."""
    prefix = "data:image/svg+xml,"
    if not url.startswith(prefix) or " " in url or "<" in url:
        return False
    svg = ElementTree.fromstring(unquote(url[len(prefix):]))
    return svg.tag.endswith("svg") and (svg.get("width"), svg.get("height")) in {
        (str(w), str(h)) for w, h in makers.IMAGE_SIZES}


def test_a_pet_its_category_and_tags_are_named_as_such() -> None:
    for seed in range(10):
        pet = generate({"$ref": "#/$defs/Pet"}, PETSTORE_DEFS, seed)
        assert pet["name"] in wordlists.PET_NAMES
        assert pet["category"]["name"] in wordlists.PET_CATEGORIES  # a category under a pet is a pet category
        assert {tag["name"] for tag in pet["tags"]} <= set(wordlists.PET_TAGS)
        assert all(is_placeholder_image(url) for url in pet["photoUrls"])
        shop = generate({"$ref": "#/$defs/Shop"}, PETSTORE_DEFS, seed)
        assert shop["category"]["name"] in wordlists.CATEGORIES  # elsewhere, a shop's category
        assert set(shop["tags"]) <= set(wordlists.TAGS)


@pytest.mark.parametrize(("title", "check"), [
    ("Product", lambda v: v.split()[-1] in wordlists.PRODUCT_NOUNS),
    ("Company", lambda v: v.split()[-1] in {s.split()[-1] for s in wordlists.COMPANY_SUFFIXES}),
    ("City", lambda v: v in wordlists.CITIES),
    ("Warehouse", lambda v: v.endswith(" Warehouse")),
    ("Attachment", lambda v: re.fullmatch(r"[a-z]+-\d{4}-\d{3}\.[a-z]+", v)),
    ("Workspace", lambda v: v.split()[0] in wordlists.NAME_ADJECTIVES and v.split()[1] in wordlists.NAME_NOUNS),
])
def test_a_things_name_follows_its_schema_title(title: str, check: Any) -> None:
    schema = {"title": title, "type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    for seed in range(5):
        assert check(generate(schema, seed=seed)["name"]), title


def test_the_name_under_a_property_follows_the_property() -> None:
    schema = {"type": "object", "properties": {"company": {"type": "object", "properties": {"name": {"type": "string"}}},
                                               "productName": {"type": "string"}}}
    for seed in range(5):
        value = generate(schema, seed=seed)
        assert value["company"]["name"].split()[-1] in {s.split()[-1] for s in wordlists.COMPANY_SUFFIXES}
        assert value["productName"].split()[-1] in wordlists.PRODUCT_NOUNS


def test_a_persons_fields_describe_one_person() -> None:
    user = {"type": "object", "properties": {p: {"type": "string"} for p in (
        "firstName", "lastName", "name", "email", "username", "phone")}}
    user["properties"]["email"] = {"type": "string", "format": "email"}
    for seed in range(20):
        value = generate({"$ref": "#/$defs/User"}, {"User": user}, seed)
        first, last = value["firstName"], value["lastName"]
        assert value["name"] == f"{first} {last}"
        local = re.sub("[^a-z]", "", first.lower()) + "." + re.sub("[^a-z]", "", last.lower())
        assert value["email"].startswith(local + "@example.")
        letters = re.sub("[^a-z]", "", value["username"])
        assert letters.startswith(re.sub("[^a-z]", "", first.lower())[:1])
        assert re.fullmatch(r"\+1-\d{3}-555-01\d\d", value["phone"])


def test_two_people_in_one_answer_are_two_people() -> None:
    person = {"type": "object", "properties": {"firstName": {"type": "string"}, "email": {"type": "string"}}}
    schema = {"type": "object", "properties": {"author": person, "reviewer": person}}
    pairs = [generate(schema, seed=seed) for seed in range(10)]
    assert any(p["author"]["firstName"] != p["reviewer"]["firstName"] for p in pairs)
    assert all(p["author"]["email"].startswith(p["author"]["firstName"].lower()[:1]) for p in pairs)


def test_codes_keep_their_meaning_inside_the_contracts_constraints() -> None:
    countries = {field("country_code", {"type": "string", "pattern": "^[A-Z]{2}$"}, seed) for seed in range(20)}
    assert countries <= ALPHA2, countries  # real ISO codes, not just two capitals
    assert all(field("country_code", {"type": "string", "format": "iso-3166"}, s) in ALPHA2 for s in range(5))
    assert all(len(field("country", {"type": "string", "minLength": 3, "maxLength": 3}, s)) == 3 for s in range(5))
    assert all(field("country", {"type": "string", "maxLength": 2}, s) in ALPHA2 for s in range(5))
    # a pattern no real code fits: the pattern wins
    assert all(re.fullmatch(r"Q[0-9]", field("country_code", {"type": "string", "pattern": "^Q[0-9]$"}, s)) for s in range(5))


@pytest.mark.parametrize(("name", "schema", "low", "high", "decimals"), [
    ("quantity", {"type": "integer"}, 1, 20, 0),
    ("rating", {"type": "number"}, 1, 5, 1),
    ("latitude", {"type": "number"}, -90, 90, 6),
    ("age", {"type": "integer", "minimum": 30}, 30, 90, 0),
    ("id", {"type": "integer", "format": "int64"}, 1, 9999, 0),
    ("price", {"type": "number", "minimum": 0}, 1, 500, 2),
    ("total", {"type": "integer"}, 0, 100, 0),
    ("quantity", {"type": "integer", "minimum": 50, "maximum": 60}, 50, 60, 0),  # bounds win over the name
])
def test_numbers_live_in_the_window_their_name_suggests(name: str, schema: dict[str, Any], low: float, high: float,
                                                        decimals: int) -> None:
    for seed in range(20):
        value = field(name, schema, seed)
        assert low <= value <= high and round(value, decimals) == value, (name, value)


def test_map_keys_read_like_keys() -> None:
    schema = {"type": "object", "additionalProperties": {"type": "integer"}}
    keys = [k for seed in range(10) for k in generate(schema, seed=seed)]
    assert keys and all(re.fullmatch(r"[a-z]+(_[a-z]+)?", k) for k in keys), keys


def test_unknown_entities_and_item_names() -> None:
    assert Entity.named("CreateUserRequest").person and Entity.named("PetResponseDTO").kind == "pet"
    assert Entity.named("categories").kind == "category" and Entity.named("ApiResponse").kind is None
    assert [singular_name(n) for n in ("photoUrls", "categories", "addresses", "status", "URLs")] == [
        "photoUrl", "category", "address", "status", "URL"]
