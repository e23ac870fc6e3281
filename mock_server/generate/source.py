"""Where a generated value's randomness comes from: one seed drives both the RNG and Faker."""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

LOCALE = "en_US"


def new_faker() -> Faker:
    """Build the app's single Faker; building one costs milliseconds, so never do it per request."""
    return Faker(LOCALE)


class Source:
    """The randomness of one generation: a seeded RNG and a Faker seeded from the same seed.

    The app's one Faker is seeded when `rng` or `faker` is first read, not when the Source is made:
    a request whose answer draws nothing (a memoised reply text, an example) skips the seeding,
    ~7 us of a ~90 us chat stream. After the first read both are plain attributes.
    """

    __slots__ = ("faker", "rng", "seed", "shared_faker")
    rng: random.Random
    faker: Faker

    def __init__(self, seed: int, faker: Faker) -> None:
        self.seed = seed
        self.shared_faker = faker  # seeded with `seed` on the first read of `rng` or `faker`

    @classmethod
    def from_seed(cls, seed: int, faker: Faker) -> Source:
        """Same seed, same values, on any machine: the shared Faker is reseeded before any draw."""
        return cls(seed, faker)

    def __getattr__(self, name: str) -> Any:  # only called while `rng`/`faker` are unset
        if name not in ("rng", "faker"):
            raise AttributeError(name)
        self.shared_faker.seed_instance(self.seed)
        self.faker = self.shared_faker
        self.rng = self.shared_faker.random  # one stream for both: one seeding per request
        return getattr(self, name)
