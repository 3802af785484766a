"""Sweeping: the articles whose extraction message was lost are queued again."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.services import queueing
from sources.models import Article


def articles_requeue_stale() -> int:
    """Queue again the articles left pending too long (a lost message, a worker that died)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.STALE_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Article.objects.select_for_update(skip_locked=True)
            .filter(status=Article.Status.PENDING, status_changed_at__lt=stale)
            .values_list("id", flat=True)[:5000]
        )
        # Stamped now: an article is queued again at most once per stale period, however
        # long the queue in front of it.
        Article.objects.filter(id__in=ids).update(status_changed_at=now)
        queueing.articles_extract_queue(ids)
    return len(ids)
