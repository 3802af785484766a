"""Celery tasks of the sources app: feed polling, thin interfaces to its services."""

from __future__ import annotations

from celery import shared_task

from config.celery import retry_transient
from sources.models import Article, Feed
from sources.services.feeds import feed_poll
from sources.services.fetching import TransientFetchError
from sources.signals import articles_stored

# A feed that is briefly unreachable is retried too.
_RETRY = retry_transient(TransientFetchError)


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
