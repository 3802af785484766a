"""Celery tasks: thin interfaces to the services. Each takes primary keys and is safe to run
twice (each service claims its row, or writes nothing already written)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from claims.services.extraction import article_extract, articles_requeue_stale, extraction_queue
from claims.services.matching import claim_link_recent, statement_link
from claims.services.reextraction import article_reextract
from sources.models import Feed
from sources.services.fetching import TransientFetchError
from sources.services.ingestion import feed_poll

# A lost database connection, a failover or a server that is briefly down is worth retrying
# with growing pauses; a bug is not.
_TRANSIENT = (OperationalError, InterfaceError, TransientFetchError)
_RETRY = {
    "acks_late": True,
    "autoretry_for": _TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**_RETRY)
def extract_statements(article_id: int) -> None:
    """Extract the statements of a new article and hand them to claim linking."""
    article_extract(article_id=article_id)


@shared_task(**_RETRY)
def reextract_article(article_id: int) -> None:
    """Extract an article again after speakers or rules changed; analysts' work is kept."""
    article_reextract(article_id=article_id)


def reextraction_queue(article_ids: Iterable[int]) -> int:
    """Queue re-extraction of each article once the current transaction commits."""
    queued = 0
    for article_id in article_ids:
        # After commit: the admin action and the command queue inside their transaction.
        transaction.on_commit(partial(reextract_article.delay, article_id))
        queued += 1
    return queued


@shared_task(**_RETRY)
def statement_link_task(statement_id: int) -> None:
    """Suggest claims for a new statement."""
    statement_link(statement_id=statement_id)


@shared_task(**_RETRY)
def claim_link_recent_task(claim_id: int) -> None:
    """Search recent statements for a new claim or a claim with a new variant."""
    claim_link_recent(claim_id=claim_id)


@shared_task(**_RETRY)
def poll_feed(feed_id: int) -> None:
    feed_poll(feed_id=feed_id, on_stored=extraction_queue)


@shared_task
def poll_feeds() -> None:
    for feed_id in Feed.objects.filter(is_active=True).values_list("id", flat=True):
        poll_feed.delay(feed_id)


@shared_task
def sweep_stale_articles() -> None:
    articles_requeue_stale()
