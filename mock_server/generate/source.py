"""Where a generated value's randomness comes from: one seed drives both the RNG and Faker."""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

LOCALE = "en_US"
# "Now" under `--clock fixed` (2025-01-01T00:00:00Z): dates in the past or future are drawn around it,
# so the same request gives the same dates on any day. `--clock real` passes the real time instead.
FIXED_NOW = 1735689600


def new_faker() -> Faker:
    """Build the app's single Faker; building one costs milliseconds, so never do it per request."""
    return Faker(LOCALE)


class Source:
    """The randomness of one generation: a seeded RNG and a Faker seeded from the same seed.

    The app's one Faker is seeded when `rng` or `faker` is first read, not when the Source is made:
    a request whose answer draws nothing (a memoised reply text, an example) skips the seeding,
    ~7 us of a ~90 us chat stream. After the first read both are plain attributes.
    """

    __slots__ = ("faker", "now", "persona", "rng", "seed", "shared_faker")
    rng: random.Random
    faker: Faker

    def __init__(self, seed: int, faker: Faker, now: int = FIXED_NOW) -> None:
        self.seed = seed
        self.shared_faker = faker  # seeded with `seed` on the first read of `rng` or `faker`
        self.now = now  # Unix time that past and future dates are drawn around
        self.persona: Any = None  # the person the object being generated describes (people.py)

    @classmethod
    def from_seed(cls, seed: int, faker: Faker, now: int = FIXED_NOW) -> Source:
        """Same seed, same values, on any machine: the shared Faker is reseeded before any draw."""
        return cls(seed, faker, now)

    def reseeded(self, seed: int) -> Source:
        """A Source on the same Faker with a seed of its own: one resource's values, drawn the same
        whichever request shows it (generate/fitting.identity_seed)."""
        return Source(seed, self.shared_faker, self.now)

    def __getattr__(self, name: str) -> Any:  # only called while `rng`/`faker` are unset
        if name not in ("rng", "faker"):
            raise AttributeError(name)
        self.shared_faker.seed_instance(self.seed)
        self.faker = self.shared_faker
        self.rng = self.shared_faker.random  # one stream for both: one seeding per request
        return getattr(self, name)
