"""Tasks on a real Celery worker process, the real broker and the real database."""

from __future__ import annotations

import json
import time

import pytest
from django.core.management import call_command
from kombu.exceptions import OperationalError as KombuOperationalError

from claims.models import Claim, MatchingStatus, Speaker, Statement, Suggestion
from claims.services import queueing
from claims.services.extraction.sweeping import articles_requeue_stale
from claims.services.speakers import speaker_alias_add
from claims.services.sweeping import statements_requeue_unmatched
from claims.tasks import extract_statements
from sources.models import Article, Feed
from sources.services.ingestion import ingest
from sources.tasks import poll_feed
from tests.factories import ArticleFactory, SourceFactory
from tests.workers import wait_until

pytestmark = pytest.mark.usefixtures("celery_worker_process")


@pytest.fixture
def mustafayev(transactional_db) -> Speaker:
    speaker = Speaker.objects.create(name="Shahin Mustafayev", country="AZ")
    speaker_alias_add(speaker=speaker, name="Shahin Mustafayev")
    return speaker


def _articles_file(tmp_path, count: int):
    path = tmp_path / "articles.jsonl"
    rows = [
        {
            "url": f"https://trend.example/news/{n}",
            "source": "Trend",
            "title": f"Report {n}",
            "body": f"Shahin Mustafayev said that report number {n} about the border was false.",
            "published_at": "2025-07-20",
            "language": "en",
        }
        for n in range(count)
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    return path


def _all_processed(count: int) -> bool:
    return Article.objects.filter(status=Article.Status.PROCESSED).count() == count


def test_an_ingested_file_is_extracted_by_the_worker(tmp_path, mustafayev) -> None:
    call_command("ingest", str(_articles_file(tmp_path, 5)))
    wait_until(lambda: _all_processed(5), what="5 articles processed")
    assert Statement.objects.filter(speaker=mustafayev).count() == 5


def test_a_task_delivered_twice_stores_nothing_twice(mustafayev) -> None:
    article = ArticleFactory(
        language="en", body="Shahin Mustafayev said that the rumours were completely false."
    )
    extract_statements.delay(article.pk)
    extract_statements.delay(article.pk)
    wait_until(lambda: _all_processed(1), what="the article processed")
    time.sleep(1)  # let the second delivery run too
    assert Statement.objects.filter(article=article).count() == 1
    article.refresh_from_db()
    assert article.attempts == 1


def test_articles_whose_messages_were_lost_are_requeued_by_the_sweeper(
    tmp_path, mustafayev, settings
) -> None:
    # Stored while Redis was unreachable: no task was ever queued for them.
    ingest(target=str(_articles_file(tmp_path, 3)), on_stored=None)
    settings.STALE_AFTER_SECONDS = 0
    assert articles_requeue_stale() == 3
    wait_until(lambda: _all_processed(3), what="3 swept articles processed")
    assert Statement.objects.count() == 3


def test_a_polled_feed_ends_in_statements(site, mustafayev) -> None:
    page = (
        "<html><head><title>Denial</title></head><body><article><h1>Denial</h1><p>"
        "Shahin Mustafayev said that Azerbaijan will never allow its territory to be used "
        "for any attack on Iran.</p><p>More background about the meeting in Tehran.</p>"
        "</article></body></html>"
    )
    site.add("/news/1", page, Content_Type="text/html; charset=utf-8")
    feed_xml = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Denial</title><link>{site.url}/news/1</link></item></channel></rss>"
    )
    url = site.add("/feed.xml", feed_xml, Content_Type="application/rss+xml")
    feed = Feed.objects.create(source=SourceFactory(default_language="en"), url=url)
    poll_feed.delay(feed.pk)
    wait_until(lambda: Statement.objects.exists(), what="a statement from the feed")
    statement = Statement.objects.get()
    assert statement.speaker == mustafayev
    assert statement.text.startswith("Azerbaijan will never allow its territory")


def test_a_feed_that_is_briefly_down_is_retried_until_it_answers(site, mustafayev) -> None:
    site.add(
        "/news/2",
        "<html><body><article><p>"
        + "Shahin Mustafayev said that the border is calm and open for trade. " * 2
        + "</p></article></body></html>",
        Content_Type="text/html",
    )
    feed_xml = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Calm</title><link>{site.url}/news/2</link></item></channel></rss>"
    )
    url = site.add("/down.xml", feed_xml, Content_Type="application/rss+xml")
    site.failures["/down.xml"] = 1
    feed = Feed.objects.create(source=SourceFactory(default_language="en"), url=url)
    poll_feed.delay(feed.pk)
    wait_until(lambda: Statement.objects.exists(), timeout=60, what="the retried poll")
    assert [path for path, _ in site.requests].count("/down.xml") == 2


def test_an_ingested_urdu_denial_ends_in_a_suggestion_for_the_territory_claim(tmp_path) -> None:
    from claims.models import Claim, ClaimLink, Suggestion
    from claims.services.seeds import seeds_load

    seeds_load()
    body = (
        "باکو میں صحافیوں سے گفتگو کرتے ہوئے شاہین مصطفیاف نے کہا کہ آذربائیجان ایران پر کسی "
        "بھی حملے کے لیے اپنی زمین استعمال کرنے کی اجازت نہیں دے گا۔ انہوں نے کہا کہ اس بارے "
        "میں پھیلائی گئی افواہیں بے بنیاد اور جھوٹ ہیں۔"
    )
    path = tmp_path / "urdu.jsonl"
    path.write_text(
        json.dumps(
            {
                "url": "https://urdu.example/1",
                "source": "Mehr News Agency",
                "title": "",
                "body": body,
                "published_at": "2025-07-21",
                "language": "ur",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    call_command("ingest", str(path))
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")

    def linked() -> bool:
        return (
            Suggestion.objects.filter(
                claim=claim, statement__article__url="https://urdu.example/1"
            ).exists()
            or ClaimLink.objects.filter(
                claim=claim, statement__article__url="https://urdu.example/1"
            ).exists()
        )

    wait_until(linked, what="a suggestion or link for the territory claim")
    denial = Statement.objects.get(text__contains="اجازت نہیں دے گا")
    assert denial.speaker.name == "Shahin Mustafayev"
    proposed = Suggestion.objects.filter(statement=denial, claim=claim).first()
    link = ClaimLink.objects.filter(statement=denial, claim=claim).first()
    assert (proposed.suggested_stance if proposed else link.stance) == "denies"


class _UnreachableBroker:
    def send_task(self, *args, **kwargs):
        raise KombuOperationalError("Error 111 connecting to redis: Connection refused")


def _all_matched() -> bool:
    return not Statement.objects.filter(matching_status=MatchingStatus.PENDING).exists()


def test_statements_stored_while_the_broker_was_unreachable_are_matched_after_the_sweep(
    mustafayev, settings, monkeypatch
) -> None:
    claim = Claim.objects.create(text="The report about the border was false", language="en")
    Claim.objects.filter(pk=claim.pk).update(matching_status=MatchingStatus.DONE)
    article = ArticleFactory(
        language="en", body="Shahin Mustafayev said that the report about the border was false."
    )
    with monkeypatch.context() as patch:
        # Redis went away between storing the statements and queueing their matching.
        patch.setattr(queueing, "current_app", _UnreachableBroker())
        # No pause after the failure: the broker is back by the time the sweeper runs.
        patch.setattr(queueing, "BROKER_DOWN_PAUSE_SECONDS", 0)
        extract_statements.apply(args=[article.pk])
    statement = Statement.objects.get(article=article)
    assert statement.matching_status == MatchingStatus.PENDING

    settings.STALE_AFTER_SECONDS = 0
    assert statements_requeue_unmatched() == 1
    wait_until(_all_matched, what="the swept statement matched")
    assert list(Suggestion.objects.values_list("statement_id", "claim_id")) == [
        (statement.pk, claim.pk)
    ]
