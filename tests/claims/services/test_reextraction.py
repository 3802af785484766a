from __future__ import annotations

from datetime import date, datetime
from itertools import pairwise

import pytest
from django.utils import timezone

from claims.models import ClaimLink, Speaker, Stance, Statement, Suggestion
from claims.selectors import articles_for_reextraction
from claims.services.extraction.storing import article_extract
from claims.services.reextraction import article_reextract
from claims.services.speakers import speaker_alias_add
from sources.models import Article
from tests.claims.reextraction_story import BODY, DENIAL, TALKS
from tests.factories import ArticleFactory, ClaimFactory, SuggestionFactory
from tests.workers import concurrently

pytestmark = pytest.mark.django_db

WEATHER = "The weather in Baku was mild on Monday"


@pytest.fixture
def hossein(db) -> Speaker:
    speaker = Speaker.objects.create(name="Hossein Karimi", country="IR")
    speaker_alias_add(speaker=speaker, name="Karimi")
    return speaker


@pytest.fixture
def ali(db) -> Speaker:
    """A speaker the alias index does not know yet: `Ali Karimi` reads as Hossein."""
    return Speaker.objects.create(name="Ali Karimi", country="IR")


@pytest.fixture
def article(hossein) -> Article:
    article = ArticleFactory(language="en", body=BODY)
    article_extract(article_id=article.pk)
    return article


def _statement(article: Article, text: str) -> Statement:
    return Statement.objects.get(article=article, text=text)


def _by_hand(article: Article, text: str, speaker: Speaker) -> Statement:
    """A statement at a span extraction does not find, as an analyst or seed file adds one."""
    start = article.body.index(text)
    return Statement.objects.create(
        article=article,
        speaker=speaker,
        text=text,
        start=start,
        end=start + len(text),
        language=article.language,
    )


def _snapshot(article: Article) -> list[tuple]:
    return list(
        Statement.objects.filter(article=article)
        .order_by("start")
        .values_list("pk", "start", "end", "speaker_id", "speaker_role", "kind", "cue")
    )


def _review(statement: Statement, status: str) -> Suggestion:
    return SuggestionFactory(
        statement=statement,
        status=status,
        reviewed_at=timezone.now(),
        reject_reason="not the same claim" if status == Suggestion.Status.REJECTED else "",
    )


def test_the_article_extracted_first_attributes_both_statements_to_the_known_karimi(
    article, hossein
) -> None:
    assert set(Statement.objects.filter(article=article).values_list("speaker", flat=True)) == {
        hossein.pk
    }


def test_a_newly_registered_alias_changes_the_speaker_of_an_unreviewed_statement(
    article, hossein, ali
) -> None:
    before = _statement(article, DENIAL)
    speaker_alias_add(speaker=ali, name="Ali Karimi")
    result = article_reextract(article_id=article.pk)
    assert (result.kept, result.updated, result.added, result.removed) == (1, 1, 0, 0)
    after = _statement(article, DENIAL)
    assert after.pk == before.pk
    assert after.speaker == ali and after.speaker_role == "Spokesman"
    assert _statement(article, TALKS).speaker == hossein


def test_running_it_twice_changes_nothing_the_second_time(article, ali) -> None:
    speaker_alias_add(speaker=ali, name="Ali Karimi")
    article_reextract(article_id=article.pk)
    before = _snapshot(article)
    again = article_reextract(article_id=article.pk)
    assert (again.kept, again.updated, again.added, again.removed) == (2, 0, 0, 0)
    assert _snapshot(article) == before


def test_a_statement_with_a_confirmed_link_keeps_its_speaker_and_its_link(
    article, hossein, ali
) -> None:
    denial = _statement(article, DENIAL)
    link = ClaimLink.objects.create(statement=denial, claim=ClaimFactory(), stance=Stance.DENIES)
    speaker_alias_add(speaker=ali, name="Ali Karimi")
    result = article_reextract(article_id=article.pk)
    assert (result.kept, result.updated) == (2, 0)
    denial.refresh_from_db()
    assert denial.speaker == hossein
    assert ClaimLink.objects.get(pk=link.pk).statement == denial


@pytest.mark.parametrize("status", [Suggestion.Status.ACCEPTED, Suggestion.Status.REJECTED])
def test_a_reviewed_suggestion_keeps_its_statement_as_it_is(article, hossein, ali, status) -> None:
    suggestion = _review(_statement(article, DENIAL), status)
    speaker_alias_add(speaker=ali, name="Ali Karimi")
    article_reextract(article_id=article.pk)
    assert _statement(article, DENIAL).speaker == hossein
    assert Suggestion.objects.get(pk=suggestion.pk).status == status


@pytest.mark.parametrize("status", [Suggestion.Status.ACCEPTED, Suggestion.Status.REJECTED])
def test_a_statement_no_longer_found_survives_when_its_suggestion_was_reviewed(
    article, hossein, status
) -> None:
    weather = _by_hand(article, WEATHER, hossein)
    suggestion = _review(weather, status)
    result = article_reextract(article_id=article.pk)
    assert (result.kept, result.removed) == (3, 0)
    assert Suggestion.objects.get(pk=suggestion.pk).statement_id == weather.pk


def test_a_statement_no_longer_found_survives_when_it_has_a_confirmed_link(
    article, hossein
) -> None:
    weather = _by_hand(article, WEATHER, hossein)
    ClaimLink.objects.create(statement=weather, claim=ClaimFactory(), stance=Stance.MENTIONS)
    assert article_reextract(article_id=article.pk).removed == 0
    assert Statement.objects.filter(pk=weather.pk).exists()


def test_a_stale_unreviewed_statement_is_removed_with_its_pending_suggestions(
    article, hossein
) -> None:
    weather = _by_hand(article, WEATHER, hossein)
    pending = SuggestionFactory(statement=weather)
    result = article_reextract(article_id=article.pk)
    assert (result.kept, result.removed) == (2, 1)
    assert not Statement.objects.filter(pk=weather.pk).exists()
    assert not Suggestion.objects.filter(pk=pending.pk).exists()


def test_a_new_finding_overlapping_a_kept_statement_is_not_stored_beside_it(
    article, hossein
) -> None:
    # An analyst linked a shorter span of the denial; extraction finds the whole clause.
    Statement.objects.filter(article=article).delete()
    shorter = _by_hand(article, "the report about the border", hossein)
    ClaimLink.objects.create(statement=shorter, claim=ClaimFactory(), stance=Stance.MENTIONS)
    result = article_reextract(article_id=article.pk)
    assert (result.kept, result.added) == (1, 1)
    spans = sorted(Statement.objects.filter(article=article).values_list("start", "end"))
    assert spans == [(shorter.start, shorter.end), (BODY.index(TALKS), BODY.index(TALKS) + 32)]


def test_statements_deleted_by_hand_are_found_again_once(article) -> None:
    Statement.objects.filter(article=article).delete()
    assert article_reextract(article_id=article.pk).added == 2
    assert article_reextract(article_id=article.pk).added == 0
    spans = list(Statement.objects.filter(article=article).values_list("start", "end"))
    assert len(spans) == len(set(spans)) == 2


def test_the_extraction_record_counts_the_rerun(article, ali) -> None:
    speaker_alias_add(speaker=ali, name="Ali Karimi")
    article_reextract(article_id=article.pk)
    record = Article.objects.get(pk=article.pk).extraction
    assert (record.statements, record.runs, record.new_speakers) == (2, 2, 0)


def test_a_pending_article_is_left_to_normal_extraction(hossein) -> None:
    pending = ArticleFactory(language="en", body=BODY)
    assert article_reextract(article_id=pending.pk) is None
    assert not Statement.objects.filter(article=pending).exists()
    assert Article.objects.get(pk=pending.pk).status == Article.Status.PENDING


def test_a_failed_article_is_retried_and_marked_processed(hossein) -> None:
    failed = ArticleFactory(
        language="en", body=BODY, status=Article.Status.FAILED, error="ValueError: a bad rule"
    )
    assert article_reextract(article_id=failed.pk).added == 2
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (Article.Status.PROCESSED, "", 1)


def test_a_duplicate_article_is_skipped(article) -> None:
    copy = ArticleFactory(
        language="en", body=BODY, duplicate_of=article, status=Article.Status.PROCESSED
    )
    assert article_reextract(article_id=copy.pk) is None
    assert not Statement.objects.filter(article=copy).exists()


def test_an_unknown_article_is_skipped(db) -> None:
    assert article_reextract(article_id=987654) is None


def test_the_seed_article_keeps_its_linked_statements_and_settles_after_one_run(seeded) -> None:
    seed = Article.objects.get(url="https://urdu.mehrnews.com/news/aa697601239acc52")
    linked = set(
        ClaimLink.objects.filter(statement__article=seed).values_list("statement_id", flat=True)
    )
    assert linked
    article_reextract(article_id=seed.pk)
    assert linked <= set(Statement.objects.filter(article=seed).values_list("pk", flat=True))
    before = _snapshot(seed)
    again = article_reextract(article_id=seed.pk)
    assert (again.updated, again.added, again.removed) == (0, 0, 0)
    assert _snapshot(seed) == before
    spans = [(start, end) for _, start, end, *_ in before]
    assert not any(a[1] > b[0] for a, b in pairwise(spans))


def test_the_selector_filters_by_date_language_and_id(hossein) -> None:
    def processed(**kwargs) -> Article:
        return ArticleFactory(status=Article.Status.PROCESSED, **kwargs)

    old = processed(published_at=timezone.make_aware(datetime(2025, 1, 5)), language="en")
    new = processed(published_at=timezone.make_aware(datetime(2025, 7, 20)), language="az-Latn")
    ArticleFactory(published_at=timezone.make_aware(datetime(2025, 7, 21)))  # pending
    processed(published_at=timezone.make_aware(datetime(2025, 7, 22)), duplicate_of=new)

    def ids(**filters) -> list[int]:
        return list(articles_for_reextraction(**filters).values_list("pk", flat=True))

    assert ids() == [old.pk, new.pk]
    assert ids(since=date(2025, 7, 1)) == [new.pk]
    assert ids(language="az") == [new.pk]
    assert ids(language="en") == [old.pk]
    assert ids(ids=[old.pk, 123456]) == [old.pk]


def test_two_workers_on_one_article_store_its_statements_once(transactional_db) -> None:
    hossein = Speaker.objects.create(name="Hossein Karimi", country="IR")
    speaker_alias_add(speaker=hossein, name="Karimi")
    article = ArticleFactory(language="en", body=BODY, status=Article.Status.PROCESSED)
    results = concurrently(*[lambda: article_reextract(article_id=article.pk)] * 2)
    # The article row is held by the first: the second sees its statements and adds none.
    assert sorted(result.added for result in results) == [0, 2]
    assert Statement.objects.filter(article=article).count() == 2
