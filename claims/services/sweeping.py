"""Sweeping: work whose message was lost (a flushed broker, a worker that died) is found by
its row's state and queued again. Each sweeper runs on a Celery beat schedule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from claims.models import Claim, MatchingStatus, Statement
from claims.services import queueing

# Rows queued again per run: a backlog is worked off over a few runs, in short transactions.
BATCH = 5000


def stale_rows_requeue(
    *, pending: models.QuerySet, stamp: str, queue: Callable[[Iterable[int]], int]
) -> int:
    """Queue again the `pending` rows whose `stamp` is older than the stale threshold, and
    stamp them now, so that each is queued at most once per stale period, however long the
    queue in front of it. Rows locked by a worker busy with them are passed over."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.STALE_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            pending.select_for_update(skip_locked=True)
            .filter(**{f"{stamp}__lt": stale})
            .values_list("id", flat=True)[:BATCH]
        )
        pending.model.objects.filter(id__in=ids).update(**{stamp: now})
        queue(ids)
    return len(ids)


def statements_requeue_unmatched() -> int:
    """Queue claim matching again for the statements left pending too long."""
    return stale_rows_requeue(
        pending=Statement.objects.filter(matching_status=MatchingStatus.PENDING),
        stamp="matching_status_changed_at",
        queue=queueing.statements_link_queue,
    )


def claims_requeue_unsearched() -> int:
    """Queue again the recent-statement search of the claims left pending too long."""
    return stale_rows_requeue(
        pending=Claim.objects.filter(matching_status=MatchingStatus.PENDING),
        stamp="matching_status_changed_at",
        queue=queueing.claims_search_queue,
    )
