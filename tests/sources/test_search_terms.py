"""Search terms: stopwords per language, Snowball stems, tags and links in posts."""

from __future__ import annotations

from sources.text import search_terms, tokenise, word_spans


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


def test_word_spans_point_into_the_text_as_given() -> None:
    text = "وزیرِ خارجہ نے تردید کی"
    spans = word_spans(text, "ur")
    assert [word for word, _, _, _ in spans] == tokenise(text)
    for word, _, start, end in spans:
        assert tokenise(text[start:end]) == [word]
