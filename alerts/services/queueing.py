"""Queueing the alerts' tasks, through claims' one place for it (after commit, broker-down
tolerant): services never import task modules, so tasks are named here."""

from __future__ import annotations

from collections.abc import Iterable

from claims.services.queueing import queue_after_commit

SEND_EMAIL = "alerts.tasks.notification_email_task"
SWEEP_EMAILS = "alerts.tasks.sweep_unsent_emails"
SEND_DIGESTS = "alerts.tasks.send_digests"


def emails_queue(notification_ids: Iterable[int]) -> int:
    """Queue the immediate e-mail of each notification."""
    return queue_after_commit(SEND_EMAIL, notification_ids)
