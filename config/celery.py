"""The Celery application: workers and beat load it with `celery -A config`."""

from __future__ import annotations

import os

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("claimledger")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def retry_transient(*errors: type[Exception]) -> dict[str, object]:
    """Task options: acknowledged once done, and retried with growing pauses on a lost
    database connection and on `errors`.

    A failover or a server that is briefly down is worth retrying; a bug is not.
    """
    return {
        "acks_late": True,
        "autoretry_for": (OperationalError, InterfaceError, *errors),
        "retry_backoff": True,
        "retry_backoff_max": 300,
        "retry_jitter": True,
        "max_retries": 8,
    }
