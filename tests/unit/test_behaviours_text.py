"""behaviours/text.py: the token approximation and stop/length handling (the prose: test_behaviours_writing)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.behaviours import text


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


def test_finish_pieces_cuts_the_split_it_is_given() -> None:
    """A generated reply comes split; the limit slices the split, a stop sequence re-splits the cut."""
    value = "Hello, encyclopedia world. More."
    pieces = text.tokens(value)
    assert text.finish_pieces(value, pieces, [], 3) == ("Hello, ency", pieces[:3], "length")
    cut, cut_pieces, reason = text.finish_pieces(value, pieces, ["clop"], None)
    assert (cut, reason) == ("Hello, ency", "stop") and list(cut_pieces) == text.tokens(cut) == ["Hello", ",", " ency"]
    assert text.finish_pieces(value, pieces, ["zzz"], 100) == (value, pieces, "stop")
