"""statement_list: full-text search across spellings and filters that combine."""

from __future__ import annotations

import datetime

import pytest

from claims.models import Claim, ClaimLink, ClaimVariant, Stance, Statement, Suggestion
from claims.selectors import (
    InvalidFilters,
    articles_with_statement_counts,
    claim_links_in_time_order,
    claim_timeline,
    speaker_history,
    statement_list,
    suggestion_review,
)
from sources.models import Article
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    SpeakerFactory,
    StatementFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def texts(queryset) -> list[str]:
    return [statement.text for statement in queryset]


def test_a_persian_spelling_finds_the_urdu_statement(seeded) -> None:
    # Urdu writes آذربائیجان with a hamza seat, Persian آذربایجان without.
    found = texts(statement_list(filters={"q": "آذربایجان ہمیشہ"}))
    assert len(found) == 1
    assert found[0].startswith("آذربائیجان ہمیشہ ہمسایہ ممالک")


def test_arabic_yeh_and_kaf_find_the_persian_letters(seeded) -> None:
    assert texts(statement_list(filters={"q": "پزشكيان"})) == texts(
        statement_list(filters={"q": "پزشکیان"})
    )
    assert statement_list(filters={"q": "پزشكيان"}).exists()


def test_a_quoted_phrase_matches_only_words_in_that_order() -> None:
    StatementFactory(text="the border was never closed")
    StatementFactory(text="closed border never was")
    assert texts(statement_list(filters={"q": '"border was never"'})) == [
        "the border was never closed"
    ]
    assert len(texts(statement_list(filters={"q": "border never"}))) == 2


def test_article_titles_are_searched_too() -> None:
    article = ArticleFactory(title="Baku summit", body="He said we agree.")
    StatementFactory(article=article, text="we agree", start=8, end=16)
    assert texts(statement_list(filters={"q": "summit"})) == ["we agree"]


def test_filters_combine() -> None:
    iran = SourceFactory(country="IR")
    azerbaijan = SourceFactory(country="AZ")
    day = datetime.date(2026, 3, 1)
    common = {"text": "pipeline talk", "language": "en"}
    keep = StatementFactory(
        **common, kind="quote", said_on=day, article__source=iran, prefix="One: "
    )
    StatementFactory(
        **common, kind="quote", said_on=day, article__source=azerbaijan, prefix="Two: "
    )
    StatementFactory(**common, kind="reported", said_on=day, article__source=iran, prefix="Three: ")
    StatementFactory(
        **common,
        kind="quote",
        said_on=datetime.date(2025, 1, 1),
        article__source=iran,
        prefix="Four: ",
    )
    found = statement_list(
        filters={
            "q": "pipeline",
            "country": "ir",
            "kind": "quote",
            "language": "en",
            "said_on_after": "2026-01-01",
            "said_on_before": "2026-12-31",
        }
    )
    assert list(found) == [keep]


def test_claim_and_stance_must_hold_for_the_same_link() -> None:
    statement = StatementFactory()
    claim_a, claim_b = ClaimFactory(), ClaimFactory()
    ClaimLink.objects.create(statement=statement, claim=claim_a, stance=Stance.ASSERTS)
    ClaimLink.objects.create(statement=statement, claim=claim_b, stance=Stance.DENIES)
    assert list(statement_list(filters={"claim": claim_a.pk, "stance": "asserts"})) == [statement]
    assert list(statement_list(filters={"claim": claim_a.pk, "stance": "denies"})) == []


def test_results_are_newest_first_with_undated_statements_last() -> None:
    old = StatementFactory(said_on=datetime.date(2020, 1, 1))
    undated = StatementFactory(said_on=None)
    new = StatementFactory(said_on=datetime.date(2026, 1, 1))
    assert list(statement_list(filters={})) == [new, old, undated]


def test_an_invalid_filter_is_named_in_the_error() -> None:
    with pytest.raises(InvalidFilters, match="said_on"):
        statement_list(filters={"said_on_after": "yesterday"})


def test_a_statement_saved_in_bulk_is_searchable() -> None:
    article = ArticleFactory(body="Aliyev said: peace now.")
    template = StatementFactory()
    Statement.objects.bulk_create(
        [Statement(article=article, speaker=template.speaker, text="peace now", start=13, end=22)]
    )
    assert texts(statement_list(filters={"q": "peace"})) == ["peace now"]


def test_a_reversal_is_listed_first_on_the_speaker_history() -> None:
    first = StatementFactory(said_on=datetime.date(2026, 1, 1))
    speaker = first.speaker
    later = StatementFactory(speaker=speaker, said_on=datetime.date(2026, 2, 1))
    steady, flipped = ClaimFactory(), ClaimFactory()
    ClaimLink.objects.create(statement=first, claim=steady, stance=Stance.ASSERTS)
    ClaimLink.objects.create(statement=later, claim=steady, stance=Stance.ASSERTS)
    ClaimLink.objects.create(statement=first, claim=flipped, stance=Stance.ASSERTS)
    ClaimLink.objects.create(statement=later, claim=flipped, stance=Stance.DENIES)
    histories = speaker_history(speaker=speaker)
    assert [h.claim for h in histories] == [flipped, steady]
    assert histories[0].reversed and histories[0].stances == ["asserts", "denies"]
    assert not histories[1].reversed


def test_best_match_puts_the_statement_with_more_matching_words_first() -> None:
    once = StatementFactory(text="gas deal signed", said_on=datetime.date(2026, 2, 1))
    twice = StatementFactory(text="gas and more gas", said_on=datetime.date(2026, 1, 1))
    assert list(statement_list(filters={"q": "gas", "order": "relevance"})) == [twice, once]
    assert list(statement_list(filters={"q": "gas"})) == [once, twice]


def test_statements_extracted_from_an_ingested_article_are_searchable(seeded) -> None:
    from claims.services.extraction.storing import article_extract

    article = ArticleFactory(
        title="Baku talks",
        language="en",
        status="pending",
        body='Shahin Mustafayev said: "Azerbaijan will never allow an attack on Iran."',
    )
    assert article_extract(article_id=article.pk).statements >= 1
    found = list(statement_list(filters={"q": '"attack on iran"'}))
    assert [s.article_id for s in found] == [article.pk]
    assert list(statement_list(filters={"q": "baku talks"})) == found


def test_claims_with_counts_counts_every_stance() -> None:
    from claims.selectors import claims_with_counts

    claim = ClaimFactory()
    ClaimFactory()  # a claim without links counts zero, not NULL
    for stance in [Stance.ASSERTS, Stance.QUESTIONS, Stance.QUESTIONS, Stance.MENTIONS]:
        ClaimLink.objects.create(statement=StatementFactory(), claim=claim, stance=stance)
    counts = {
        row.pk: (
            row.statement_count,
            row.asserts_count,
            row.denies_count,
            row.questions_count,
            row.mentions_count,
        )
        for row in claims_with_counts()
    }
    assert counts.pop(claim.pk) == (4, 1, 0, 2, 1)
    assert list(counts.values()) == [(0, 0, 0, 0, 0)]


def test_a_claim_is_offered_by_name_whatever_the_spelling() -> None:
    from claims.selectors import claim_choices

    vocalised = ClaimFactory(text="قالَ الوزيـــر إن الاتفاق تم")  # a fatha and tatweel
    urdu = ClaimFactory(text="آذربائیجان نے اجازت دی")
    ClaimFactory(text="Something else entirely")
    assert [c["id"] for c in claim_choices(text="الوزير")] == [vocalised.pk]
    assert [c["id"] for c in claim_choices(text="آذربایجان")] == [urdu.pk]
    assert [c["id"] for c in claim_choices(text="AZERBAIJAN  (")] == []
    assert claim_choices(text="   ") == []


def test_a_speaker_is_offered_by_name_or_alias_once() -> None:
    from claims.selectors import speaker_choices

    speaker = StatementFactory(speaker__name="Ilham Aliyev").speaker
    speaker.aliases.create(name="Ilham Aliyev", language="en")
    speaker.aliases.create(name="الہام علیف", language="ur")
    offered = [{"id": speaker.pk, "label": f"Ilham Aliyev · #{speaker.pk}"}]
    assert speaker_choices(text="aliyev") == offered
    assert speaker_choices(text="الهام عليف") == offered


def test_a_long_name_query_is_cut_and_still_finds_the_claim() -> None:
    from claims.names import NAME_QUERY_CHARS
    from claims.selectors import claim_choices

    text = "بدخواہ اسلامی ممالک کے درمیان اختلافات پیدا کرنے اور ایران اور آذربائیجان کے تعلقات"
    claim = ClaimFactory(text=text)
    assert len(text) > NAME_QUERY_CHARS
    assert [c["id"] for c in claim_choices(text=text + " روکنے کی کوشش")] == [claim.pk]


def _words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_a_review_shows_the_statement_in_its_paragraph_with_the_words_it_shares() -> None:
    article = ArticleFactory(
        body="Earlier news.\nThe minister said the bridge will close in spring.\nOther news."
    )
    text = "the bridge will close in spring"
    start = article.body.index(text)
    statement = StatementFactory(article=article, text=text, start=start, end=start + len(text))
    claim = ClaimFactory(text="Bridge closes in spring")
    variant = ClaimVariant.objects.create(claim=claim, language="en", text="Spring bridge closure")
    older, newer = ClaimLinkFactory.create_batch(2, claim=claim)
    ClaimLink.objects.filter(pk=older.pk).update(confirmed_at=newer.confirmed_at - HOUR)
    suggestion = SuggestionFactory(statement=statement, claim=claim, evidence={})

    review = suggestion_review(suggestion_id=suggestion.pk)

    assert (review.suggestion, review.statement, review.claim) == (suggestion, statement, claim)
    assert (review.before, review.after) == ("The minister said ", ".")
    # No spans from the matcher: the words the statement shares with the claim or a variant.
    assert _words(text, review.statement_spans) == ["bridge", "in", "spring"]
    assert _words(claim.text, review.claim_spans) == ["Bridge", "in", "spring"]
    assert review.variants == [(variant, [(0, 6), (7, 13)])]
    assert review.recent_links == [newer, older]
    assert review.reporting_verb is None and review.evidence_rows == []


def test_a_review_marks_the_matchers_spans_and_explains_its_evidence() -> None:
    statement = StatementFactory(text="he denied the border was closed")
    claim = ClaimFactory(text="The border was closed")
    suggestion = SuggestionFactory(
        statement=statement,
        claim=claim,
        evidence={
            "matched": [{"word": "border", "start": 14, "end": 20}],
            "stance_cues": [{"kind": "reporting verb", "words": "denied", "stance": "denies"}],
            "entities": ["a named place"],
        },
    )

    review = suggestion_review(suggestion_id=suggestion.pk)

    assert _words(statement.text, review.statement_spans) == ["border"]
    assert _words(claim.text, review.claim_spans) == ["border"]
    assert review.reporting_verb == {"words": "denied", "stance": "denies"}
    assert review.evidence_rows == [
        ("Matched words", "border", ""),
        ("Entity evidence", "", "a named place"),
        ("Reporting verb", "denied", "→ denies"),
    ]
    assert review.recent_links == []


def test_a_review_of_an_unknown_suggestion_raises() -> None:
    with pytest.raises(Suggestion.DoesNotExist):
        suggestion_review(suggestion_id=404)


def test_a_claims_links_in_time_order_date_undated_statements_by_article_then_storage() -> None:
    claim = ClaimFactory()
    stored = ClaimLinkFactory(claim=claim, statement__said_on=None)
    published = ClaimLinkFactory(
        claim=claim,
        statement__said_on=None,
        statement__article__published_at=datetime.datetime(2025, 6, 1, 23, 30, tzinfo=datetime.UTC),
    )
    said = ClaimLinkFactory(claim=claim, statement__said_on=datetime.date(2025, 6, 2))
    ClaimLinkFactory()  # another claim's

    links = list(claim_links_in_time_order(claim=claim))

    assert links == [published, said, stored]
    assert [link.said for link in links] == [
        datetime.date(2025, 6, 1),
        datetime.date(2025, 6, 2),
        stored.statement.created_at.astimezone(datetime.UTC).date(),
    ]


def links_around_an_undated_statement() -> tuple[Claim, list[ClaimLink]]:
    """A claim said on 1 and 3 June, and in between by a statement dated by its article only."""
    claim = ClaimFactory()
    later = ClaimLinkFactory(claim=claim, statement__said_on=datetime.date(2025, 6, 3))
    undated = ClaimLinkFactory(
        claim=claim,
        statement__said_on=None,
        statement__article__published_at=datetime.datetime(2025, 6, 2, 9, tzinfo=datetime.UTC),
    )
    earlier = ClaimLinkFactory(claim=claim, statement__said_on=datetime.date(2025, 6, 1))
    return claim, [earlier, undated, later]


def test_the_page_and_the_admin_date_an_undated_statement_by_its_article() -> None:
    claim, in_time_order = links_around_an_undated_statement()
    assert list(claim_timeline(claim=claim)) == in_time_order
    assert list(claim_links_in_time_order(claim=claim)) == in_time_order


def test_the_claim_pages_timeline_stops_at_its_limit(monkeypatch) -> None:
    monkeypatch.setattr("claims.selectors.CLAIM_TIMELINE_LIMIT", 2)
    claim, in_time_order = links_around_an_undated_statement()
    assert list(claim_timeline(claim=claim)) == in_time_order[:2]


def test_articles_come_with_their_statement_counts() -> None:
    two = StatementFactory().article
    StatementFactory(article=two, text="another", start=0, end=7)
    none = ArticleFactory()
    counted = articles_with_statement_counts(
        articles=Article.objects.filter(pk__in=[two.pk, none.pk])
    )
    assert {a.pk: a.statement_count for a in counted} == {two.pk: 2, none.pk: 0}


def test_two_speakers_of_one_name_are_offered_under_two_labels_each_with_its_own_id() -> None:
    from claims.selectors import speaker_choices

    known = SpeakerFactory(name="Ilham Aliyev", role="President of Azerbaijan")
    namesake = SpeakerFactory(name="Ilham Aliyev", is_confirmed=False)
    assert speaker_choices(text="ilham") == [
        {"id": known.pk, "label": f"Ilham Aliyev · President of Azerbaijan · #{known.pk}"},
        {"id": namesake.pk, "label": f"Ilham Aliyev · #{namesake.pk}"},
    ]


def test_a_claim_is_offered_under_one_shortened_line_with_its_id() -> None:
    from claims.names import LABEL_PART_CHARS
    from claims.selectors import claim_choices

    claim = ClaimFactory(text="Azerbaijan allowed\n its territory " + "to be used " * 20)
    twin = ClaimFactory(text=claim.text)
    labels = {c["id"]: c["label"] for c in claim_choices(text="territory")}
    assert labels[claim.pk].startswith("Azerbaijan allowed its territory to be used")
    assert labels[claim.pk].endswith(f"… · #{claim.pk}")
    assert len(labels[claim.pk]) == LABEL_PART_CHARS + len(f" · #{claim.pk}")
    assert labels[twin.pk] != labels[claim.pk]
