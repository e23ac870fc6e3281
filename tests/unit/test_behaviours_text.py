"""behaviours/text.py: the token approximation, stop/length handling, subjects and prose."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.behaviours import text
from mock_server.generate.source import Source, new_faker


@given(st.text())
def test_tokens_join_back_to_the_text(value: str) -> None:
    assert "".join(text.tokens(value)) == value


@given(st.text(), st.integers(min_value=0, max_value=60))
def test_a_truncated_text_counts_exactly_the_limit(value: str, limit: int) -> None:
    """What max_tokens, usage and the stream see must agree: re-counting a cut text gives the cut."""
    cut, was_cut = text.truncate(value, limit)
    assert value.startswith(cut)
    assert text.count_tokens(cut) == min(limit, text.count_tokens(value))
    assert was_cut == (text.count_tokens(value) > limit)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Hello, world!", ["Hello", ",", " world", "!"]),
        ("encyclopedia", ["ency", "clop", "edia"]),
        ("cost 1,250.00 EUR", ["cost", " 1", ",", "250", ".", "00", " EUR"]),
        ("trail  ", ["trail", "  "]),
        ("", []),
    ],
)
def test_token_split(value: str, expected: list[str]) -> None:
    assert text.tokens(value) == expected


def test_english_costs_about_one_and_a_quarter_tokens_per_word() -> None:
    prose = (
        "Mini pipe cutters are small cutting tools that are designed to precisely and effectively cut "
        "through pipes ranging in size from 3 to 16 millimeters. They are typically made of hardened steel."
    )
    ratio = text.count_tokens(prose) / len(prose.split())
    assert 1.0 <= ratio <= 1.6


def test_stop_cuts_before_the_earliest_sequence() -> None:
    assert text.cut_at_stop("one two. three; four", [";", "."]) == ("one two", True)
    assert text.cut_at_stop("one two", ["x", ""]) == ("one two", False)


def test_finish_reason_is_stop_unless_the_limit_cut_first() -> None:
    assert text.finish("a b c d. e f", ["."], 10) == ("a b c d", "stop")
    assert text.finish("a b c d. e f", ["."], 2) == ("a b", "length")
    assert text.finish("a b", [], None) == ("a b", "stop")


def test_prompt_tokens_count_content_and_framing() -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Hi there"}, {"type": "image_url"}]},
        {"role": "assistant", "content": None},
    ]
    assert text.prompt_tokens(messages) == text.REPLY_PRIMING + 3 * text.MESSAGE_OVERHEAD + 3 + 2


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("Write a description for a red bicycle", "red bicycle"),
        ("a red bicycle", "red bicycle"),
        ("Write a product description of the Acme 3000 blender for kids.", "Acme 3000 blender"),
        ("Summarise the attached invoice in one sentence.", "attached invoice"),
        ("You are an assistant responsible for creating a configuration based on information.", "configuration"),
        ("", "this product"),
    ],
)
def test_subject_of_a_prompt(prompt: str, subject: str) -> None:
    assert text.subject_of(prompt) == subject


def test_prose_is_decided_by_the_seed_alone() -> None:
    faker = new_faker()
    first = text.product_text("red bicycle", 5, faker)
    again = text.product_text("red bicycle", 5, faker)
    other = text.product_text("red bicycle", 6, faker)
    assert first == again != other
    assert "red bicycle" in first
    assert 5 <= first.count(". ") + 1 <= 8
    reply = text.chat_reply("solar panels", 5, faker)
    assert "solar panels" in reply


def test_a_sentence_draws_only_the_values_it_names() -> None:
    # Drawing every value (Faker's company() and bs() among them) for every sentence was most of
    # the cost of a new reply; a sentence that names none of them draws nothing.
    source = Source.from_seed(3, new_faker())
    state = source.rng.getstate()
    assert text._fill("all about {subject}.", "tea", source) == "All about tea."
    assert source.rng.getstate() == state
    first, second = text._fill("{q1} and {q2}", "tea", source).lower().split(" and ")
    assert first != second and source.rng.getstate() != state
