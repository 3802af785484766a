from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alerts.selectors import unread_count


def unread_alerts(request: HttpRequest) -> dict[str, object]:
    """`alerts_unread`: the signed-in user's unread notifications, counted only when a
    template shows it (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"alerts_unread": SimpleLazyObject(lambda: unread_count(user=user))}
