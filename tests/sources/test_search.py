"""Search documents and queries are built from the shared normalisation, never PG's parser."""

from __future__ import annotations

from sources.search import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    highlight_spans,
    search_document,
    search_query,
)
from sources.text import token_spans


def test_a_document_places_title_words_after_a_gap_with_a_lower_weight() -> None:
    assert search_document("Two words", "Title") == "'two':1A 'words':2A 'title':103C"


def test_arabic_and_urdu_spellings_give_the_same_document() -> None:
    assert search_document("آذربائیجان") == search_document("آذربایجان")
    assert search_document("علي") == search_document("علی")


def test_urdu_full_stop_does_not_glue_onto_the_word_before_it() -> None:
    # Heh doachashmee (ھ) and heh goal (ہ) are both keyed as Arabic heh (ه).
    assert search_document("جھوٹ ہیں۔") == "'جهوٹ':1A 'هیں':2A"


def test_words_must_all_match_and_quotes_make_a_phrase() -> None:
    parsed = search_query('iran "new chapter" -rumours')
    assert parsed.tsquery == "'iran' & ('new' <-> 'chapter') & !'rumours'"
    assert parsed.terms == {"iran", "new", "chapter"}


def test_a_query_of_exclusions_alone_searches_nothing() -> None:
    assert not search_query("-rumours")
    assert not search_query('  "" ')


def test_quotes_typed_in_a_query_cannot_break_the_tsquery_literal() -> None:
    assert search_query("it's").tsquery == "('it' <-> 's')"


def test_highlighting_finds_a_word_in_another_spelling_with_its_diacritics() -> None:
    text = "صدرِ آذربائیجان نے کہا"
    terms = search_query("آذربایجان").terms
    assert [text[a:b] for a, b in highlight_spans(text, terms)] == ["آذربائیجان"]


def test_a_key_that_holds_several_words_still_finds_its_ligature() -> None:
    # The review page highlights by words' keys; NFKC unfolds ﷺ into four words.
    text = "محمد ﷺ نے فرمایا"
    keys = {key for _, _, key in token_spans("ﷺ")}
    assert [text[a:b] for a, b in highlight_spans(text, keys)] == ["ﷺ"]


def test_only_the_first_words_of_a_long_search_are_searched() -> None:
    parsed = search_query(" ".join(f"w{n}" for n in range(20_000)))
    assert parsed.truncated
    assert parsed.tsquery.count("&") == MAX_QUERY_WORDS - 1
    assert "'w0'" in parsed.tsquery and f"'w{MAX_QUERY_WORDS}'" not in parsed.tsquery


def test_a_long_quoted_phrase_counts_each_of_its_words() -> None:
    parsed = search_query('"' + " ".join(["word"] * 150) + '"')
    assert parsed.truncated
    assert parsed.tsquery.count("<->") == MAX_QUERY_WORDS - 1


def test_text_past_the_character_cap_is_not_searched() -> None:
    parsed = search_query("a" * MAX_QUERY_CHARS + " tail")
    assert parsed.truncated and "tail" not in parsed.tsquery


def test_a_search_within_the_caps_is_not_marked_truncated() -> None:
    assert not search_query(" ".join(["word"] * MAX_QUERY_WORDS)).truncated
