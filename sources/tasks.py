"""Celery tasks of the sources app: feed polling, thin interfaces to its services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from sources.models import Article, Feed
from sources.services.feeds import feed_poll
from sources.services.fetching import TransientFetchError
from sources.signals import articles_stored

# Same retry policy as claims' tasks; a feed that is briefly unreachable is retried too.
_RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError, TransientFetchError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


def _announce(article_ids: list[int]) -> None:
    articles_stored.send(sender=Article, article_ids=article_ids)


@shared_task(**_RETRY)
def poll_feed(feed_id: int) -> None:
    """Fetch one feed and store its new articles (each is announced for extraction)."""
    feed_poll(feed_id=feed_id, on_stored=_announce)


@shared_task
def poll_feeds() -> None:
    """Queue a poll of every active feed."""
    for feed_id in Feed.objects.filter(is_active=True).values_list("id", flat=True):
        poll_feed.delay(feed_id)
