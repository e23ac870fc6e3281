"""Where a generated value's randomness comes from: one seed drives both the RNG and Faker."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

LOCALE = "en_US"


def new_faker() -> Faker:
    """Build the app's single Faker; building one costs milliseconds, so never do it per request."""
    return Faker(LOCALE)


@dataclass(frozen=True, slots=True)
class Source:
    """The randomness of one generation: a seeded RNG and a Faker seeded from the same seed."""

    rng: random.Random
    faker: Faker

    @classmethod
    def from_seed(cls, seed: int, faker: Faker) -> Source:
        """Reseed the shared Faker so (schema, seed) alone decides the value, on any machine."""
        faker.seed_instance(seed)
        return cls(rng=faker.random, faker=faker)  # one stream for both: one seeding per request
