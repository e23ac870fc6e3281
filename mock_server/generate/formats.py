"""Values valid for each `format`, drawn only from the RNG and Faker so they never read the clock."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import string
import uuid
from collections.abc import Callable

from faker.providers.lorem.en_US import Provider as _Lorem

from .source import Source

FormatFn = Callable[[Source], str]

# A fixed window keeps dates identical across days and machines.
EPOCH_START = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
EPOCH_SECONDS = int((dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc) - EPOCH_START).total_seconds())


# Picking from the word list with our RNG is ~20x cheaper than Faker's weighted sampling.
WORDS: tuple[str, ...] = tuple(_Lorem.word_list)


def words(source: Source, count: int) -> list[str]:
    return [source.rng.choice(WORDS) for _ in range(count)]


def random_datetime(source: Source) -> dt.datetime:
    return EPOCH_START + dt.timedelta(seconds=source.rng.randint(0, EPOCH_SECONDS))


def date_time(source: Source) -> str:
    return random_datetime(source).strftime("%Y-%m-%dT%H:%M:%SZ")


def date(source: Source) -> str:
    return random_datetime(source).strftime("%Y-%m-%d")


def time(source: Source) -> str:
    return random_datetime(source).strftime("%H:%M:%SZ")


def uuid4(source: Source) -> str:
    return str(uuid.UUID(int=source.rng.getrandbits(128), version=4))


def email(source: Source) -> str:
    return source.faker.email()


def uri(source: Source) -> str:
    return source.faker.url() + source.faker.uri_path()


def hostname(source: Source) -> str:
    return source.faker.domain_name(2)


def ipv4(source: Source) -> str:
    return str(ipaddress.IPv4Address(source.rng.randint(0x0B000000, 0xDFFFFFFF)))


def ipv6(source: Source) -> str:
    return str(ipaddress.IPv6Address(source.rng.getrandbits(128)))


def byte(source: Source) -> str:
    return base64_of(source, source.rng.randint(4, 24))


def base64_of(source: Source, size: int) -> str:
    return base64.b64encode(bytes(source.rng.getrandbits(8) for _ in range(size))).decode("ascii")


def binary(source: Source) -> str:
    return "".join(source.rng.choice(string.hexdigits[:16]) for _ in range(source.rng.randint(8, 32)))


def password(source: Source) -> str:
    return source.faker.password(length=source.rng.randint(10, 16))


def duration(source: Source) -> str:
    return f"P{source.rng.randint(1, 30)}DT{source.rng.randint(0, 23)}H"


def json_pointer(source: Source) -> str:
    return "/" + "/".join(words(source, source.rng.randint(1, 3)))


FORMATS: dict[str, FormatFn] = {
    "date-time": date_time,
    "date": date,
    "time": time,
    "uuid": uuid4,
    "email": email,
    "idn-email": email,
    "uri": uri,
    "url": uri,
    "iri": uri,
    "uri-reference": uri,
    "iri-reference": uri,
    "hostname": hostname,
    "idn-hostname": hostname,
    "ipv4": ipv4,
    "ipv6": ipv6,
    "byte": byte,
    "binary": binary,
    "password": password,
    "duration": duration,
    "json-pointer": json_pointer,
}
