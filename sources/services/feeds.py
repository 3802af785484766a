"""Feed polling: a conditional GET of a source's RSS/Atom feed, then an ingestion run."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from sources.models import Feed, IngestionRun
from sources.services.fetching import FetchError, fetch
from sources.services.ingestion import OnStored, ingestion_run_execute, ingestion_run_finish
from sources.services.readers import IngestionError, read_feed


def feed_poll(*, feed_id: int, on_stored: OnStored | None = None) -> IngestionRun | None:
    """Poll one feed with a conditional GET; an unchanged feed costs one request, no run."""
    feed = Feed.objects.select_related("source").filter(pk=feed_id, is_active=True).first()
    if feed is None:
        return None
    now = timezone.now()
    recently = now - timedelta(seconds=settings.FEED_MIN_INTERVAL_SECONDS)
    # Take the poll: of two workers polling one feed at once, only one proceeds.
    taken = (
        Feed.objects.filter(pk=feed_id, last_polled_at=feed.last_polled_at)
        .filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=recently))
        .update(last_polled_at=now)
    )
    if taken != 1:
        return None
    try:
        page = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        # Give the poll back, so that the retry of a transient failure may poll at once.
        Feed.objects.filter(pk=feed_id, last_polled_at=now).update(
            last_polled_at=feed.last_polled_at, last_error=str(exc)
        )
        raise
    if page.not_modified:
        Feed.objects.filter(pk=feed_id).update(last_error="")
        return None
    run = IngestionRun.objects.create(
        kind=IngestionRun.Kind.FEED, target=feed.url, source=feed.source, feed=feed
    )
    try:
        records = read_feed(page.content, where=feed.url, content_type=page.content_type)
        run = ingestion_run_execute(
            run=run, records=records, default_source=feed.source, on_stored=on_stored
        )
    except IngestionError as exc:
        run.error = str(exc)
        run = ingestion_run_finish(run=run)
    Feed.objects.filter(pk=feed_id).update(
        etag=page.etag, last_modified=page.last_modified, last_error=run.error
    )
    return run
