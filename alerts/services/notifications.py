"""Notifications read in the app, and a user's preferences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from alerts.models import Notification, Preference


class PreferenceError(Exception):
    """A preference cannot be saved; the message names the value."""


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s notifications `ids` (all of them without) read; how many changed."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def preference_set(*, user: Any, language: str) -> Preference:
    if language not in dict(settings.LANGUAGES):
        raise PreferenceError(f"unknown language {language!r}")
    preference, _ = Preference.objects.update_or_create(user=user, defaults={"language": language})
    return preference
