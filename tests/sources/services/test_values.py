"""Checks on values from outside: NUL, lengths, language tags, JSON depth."""

from __future__ import annotations

import pytest

from sources.services.values import (
    MAX_JSON_DEPTH,
    ValueProblem,
    json_load,
    language_problem,
    text_problem,
)


@pytest.mark.parametrize("tag", ["en", "ur", "fil", "az-Latn", "pt-BR", "zh-Hant-TW"])
def test_a_bcp47_tag_is_a_language(tag) -> None:
    assert language_problem("language", tag) is None


@pytest.mark.parametrize("tag", ["english", "EN", "en_US", "e", "en\n", "en-" + "abcdefgh-" * 4])
def test_anything_else_is_not(tag) -> None:
    assert language_problem("language", tag).startswith("language ")


def test_text_names_a_nul_before_its_length() -> None:
    assert text_problem("author", "a\x00" * 400, max_chars=300) == (
        "author contains a NUL character (U+0000), which text cannot hold"
    )
    assert text_problem("author", "a" * 301, max_chars=300) == (
        "author is 301 characters, over the 300 allowed"
    )


def test_half_a_surrogate_pair_from_json_is_not_text() -> None:
    assert text_problem("title", json_load('"a\\ud800b"')) == (
        "title holds '\\ud800', which is not text"
    )


def test_json_may_nest_to_the_limit_and_no_deeper() -> None:
    assert json_load("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    assert json_load("null") is None
    with pytest.raises(ValueProblem, match="nested deeper"):
        json_load("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
