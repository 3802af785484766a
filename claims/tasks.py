"""Celery tasks: thin interfaces to services. Arguments are primary keys; every task is
safe to run twice (each service claims its row first)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from claims.services.extraction import article_extract, articles_requeue_stale, extraction_queue
from sources.models import Feed
from sources.services.fetching import TransientFetchError
from sources.services.ingestion import feed_poll

# Database restarts and network hiccups pass; retry them with growing pauses.
TRANSIENT = (OperationalError, InterfaceError, TransientFetchError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": 5, "retry_backoff_max": 600, "max_retries": 8}


@shared_task(acks_late=True, **RETRY)
def extract_statements(article_id: int) -> None:
    article_extract(article_id=article_id)


@shared_task(acks_late=True, **RETRY)
def poll_feed(feed_id: int) -> None:
    feed_poll(feed_id=feed_id, on_stored=extraction_queue)


@shared_task
def poll_feeds() -> None:
    for feed_id in Feed.objects.filter(is_active=True).values_list("id", flat=True):
        poll_feed.delay(feed_id)


@shared_task
def sweep_stale_articles() -> None:
    articles_requeue_stale()
