"""Sweeping: the articles whose extraction message was lost are queued again."""

from __future__ import annotations

from claims.services import queueing
from claims.services.sweeping import stale_rows_requeue
from sources.models import Article


def articles_requeue_stale() -> int:
    """Queue again the articles left pending too long (a lost message, a worker that died)."""
    return stale_rows_requeue(
        pending=Article.objects.filter(status=Article.Status.PENDING),
        stamp="status_changed_at",
        queue=queueing.articles_extract_queue,
    )
