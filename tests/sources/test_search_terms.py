"""Search terms: stopwords per language, Snowball stems, tags and links in posts."""

from __future__ import annotations

import pytest

from sources import text as text_module
from sources.text import search_terms, tokenise, word_spans, words_and_terms


def test_english_terms_are_stemmed_without_stopwords() -> None:
    assert search_terms("The ministers were denying the reports", "en") == [
        "minist",
        "deni",
        "report",
    ]


def test_urdu_and_persian_spellings_of_azerbaijan_give_one_term() -> None:
    assert search_terms("آذربائیجان", "ur") == search_terms("آذربایجان", "fa")


def test_urdu_stopwords_are_dropped_in_any_spelling() -> None:
    assert search_terms("ایران کے لیے", "ur") == ["ایران"]
    assert search_terms("ايران كے ليے", "ur") == ["ایران"]


def test_a_hashtag_gives_its_words_and_a_link_gives_none() -> None:
    terms = search_terms("#ClimateChange is real https://t.co/AbC123", "en")
    assert terms == ["climatechang", "climat", "chang", "real"]


def test_a_regional_language_tag_uses_the_base_language() -> None:
    assert search_terms("Hökumət təkzib etdi", "az-Latn") == search_terms(
        "Hökumət təkzib etdi", "az"
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The ministers were denying the reports", "en"),
        ("#ClimateChange is real https://t.co/AbC123 says @JoeBiden", "en"),
        ("ایران کے لیے آذربائیجان کی سرزمین استعمال نہیں ہوگی", "ur"),
        ("خبرگزاری #ایران گزارش داد www.irna.ir", "fa"),
        ("نفى نائب رئيس الوزراء الأنباء", "ar"),
        ("Мустафаев опроверг слухи", "ru"),
        ("", "az-Latn"),
    ],
)
def test_words_and_terms_are_tokenise_and_search_terms_in_one_pass(
    text: str, language: str
) -> None:
    assert words_and_terms(text, language) == (tokenise(text), search_terms(text, language))


def test_word_spans_point_into_the_text_as_given() -> None:
    text = "وزیرِ خارجہ نے تردید کی"
    spans = word_spans(text, "ur")
    assert [word for word, _, _, _ in spans] == tokenise(text)
    for word, _, start, end in spans:
        assert tokenise(text[start:end]) == [word]


def test_the_stemmed_words_kept_for_reuse_do_not_grow_past_their_bound(monkeypatch) -> None:
    monkeypatch.setattr(text_module, "_KNOWN_TERMS_MAX", 10)
    monkeypatch.setattr(text_module, "_known_terms", {})
    for i in range(30):
        assert search_terms(f"reports{i} denying", "en") == [f"reports{i}", "deni"]

    assert len(text_module._known_terms["en"]) <= 10 + 2
