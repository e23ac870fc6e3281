"""The regex-to-string generator covers the regex subset contracts use in `pattern`."""

from __future__ import annotations

import random
import re

import pytest

from mock_server.generate.regex import compile_regex

PATTERNS = [
    r"^[A-Z]{3}-\d{4}$", r"^(abc|de)+x?$", r"[^a-z]{2,}", r"^\w+@\w+\.com$", r"^(\d)\1$",
    r"^[a-f0-9-]{8}$", r"(?i)^hello$", r"^\S+ \s*\D$", r"^.{5}$", r"^[\w.-]+$", r"^\+?[1-9]\d{1,14}$",
    r"^(?:[01]\d|2[0-3]):[0-5]\d$", r"^#[0-9a-fA-F]{6}$", r"^v\d+(\.\d+){0,2}$", r"ab*?c", r"^[^@\s]+@[^@\s]+$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_generated_strings_match(pattern: str) -> None:
    generator = compile_regex(pattern)
    assert generator is not None
    rng = random.Random(0)
    for _ in range(30):
        value = generator.generate(rng)
        assert re.search(pattern, value), (pattern, value)


def test_same_seed_same_string() -> None:
    generator = compile_regex(r"^[a-z]{3,9}\d*$")
    assert generator is not None
    assert generator.generate(random.Random(5)) == generator.generate(random.Random(5))


def test_ecma_named_groups_and_unparseable_patterns() -> None:
    generator = compile_regex(r"^(?<year>\d{4})-x$")
    assert generator is not None and re.fullmatch(r"\d{4}-x", generator.generate(random.Random(1)))
    assert compile_regex(r"[") is None
