"""generate/source.py: one seed decides every draw, whenever the shared Faker is first used."""

from __future__ import annotations

from mock_server.generate.source import Source, new_faker

FAKER = new_faker()


def draws(source: Source) -> tuple[int, str]:
    return source.rng.randint(0, 10**9), source.faker.word()


def test_same_seed_same_draws() -> None:
    assert draws(Source.from_seed(42, FAKER)) == draws(Source.from_seed(42, FAKER))
    assert draws(Source.from_seed(42, FAKER)) != draws(Source.from_seed(43, FAKER))


def test_a_source_is_seeded_at_its_first_draw_not_when_made() -> None:
    # Another Source using the shared Faker between this one's creation and its first draw does not
    # change what this one draws (a request may make its Source and then reseed the Faker for a text).
    expected = draws(Source.from_seed(7, FAKER))
    made_first = Source.from_seed(7, FAKER)
    draws(Source.from_seed(8, FAKER))
    assert draws(made_first) == expected


def test_making_a_source_leaves_the_faker_alone() -> None:
    FAKER.seed_instance(5)
    state = FAKER.random.getstate()
    source = Source.from_seed(99, FAKER)
    assert FAKER.random.getstate() == state
    assert source.shared_faker is FAKER
