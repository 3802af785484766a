"""Reads: a user's notifications and watches."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from alerts.models import Notification, Watch

# The badge says "99+" past this: counting ten thousand unread rows on every page is waste.
UNREAD_CAP = 99


def unread_count(*, user: Any) -> int:
    return (
        Notification.objects.filter(user=user, read_at__isnull=True)
        .values("pk")[: UNREAD_CAP + 1]
        .count()
    )


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.select_related(
        "watch",
        "event__claim",
        "event__watch",
        "event__previous_statement",
        "event__statement__speaker",
        "event__statement__article__source",
    ).order_by("-created_at", "-id")


def watch_list(*, user: Any) -> QuerySet[Watch]:
    return (
        Watch.objects.filter(user=user)
        .select_related("claim", "speaker")
        .order_by("kind", "-created_at")
    )
