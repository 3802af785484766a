"""Template helpers: search snippets with the matched words in <mark>, escaped."""

from __future__ import annotations

from django.template import Context, Template

from claims.templatetags.claims_extras import SNIPPET_CHARS, highlight
from sources.search import search_query


def terms(query: str) -> frozenset[str]:
    return search_query(query).terms


def test_a_short_text_is_shown_whole_with_its_matches_marked() -> None:
    html = highlight("Baku & <Tehran> agree", terms("tehran agree"))
    assert html == "Baku &amp; &lt;<mark>Tehran</mark>&gt; <mark>agree</mark>"


def test_a_long_text_is_cut_around_the_first_match() -> None:
    text = "word " * 200 + "pipeline " + "word " * 200
    html = highlight(text, terms("pipeline"))
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>pipeline</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) == SNIPPET_CHARS + 4


def test_a_match_cut_by_the_end_of_the_snippet_is_not_marked() -> None:
    text = "pipeline " + "word " * 62 + "pipeline and more"  # the second one at 319-327
    html = highlight(text, terms("pipeline"))
    assert html.count("<mark>") == 1
    assert html.endswith("word p …")


def test_no_terms_leave_the_text_escaped() -> None:
    assert highlight("a < b", None) == "a &lt; b"


def test_the_marked_filter_marks_the_given_spans() -> None:
    page = Template("{% load claims_extras %}{{ text|marked:spans }}")
    html = page.render(Context({"text": "a <b> c", "spans": [(2, 5), (4, 9)]}))
    assert html == "a <mark>&lt;b&gt;</mark> c"  # the overlapping, overlong span is skipped


def test_the_bidi_tag_isolates_and_shortens_a_text() -> None:
    page = Template("{% load claims_extras %}{% bidi text limit=5 lang='ur' %}")
    html = page.render(Context({"text": "سرحدوں <اور>"}))
    assert html == '<span dir="auto" lang="ur">سرحد…</span>'
