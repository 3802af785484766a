"""Celery tasks: thin interfaces to the services; each takes primary keys and may run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from claims.services.matching import claim_link_recent, statement_link

# A lost database connection or a failover is worth retrying; a bug is not.
_TRANSIENT = (OperationalError, InterfaceError)
_RETRY = {
    "acks_late": True,
    "autoretry_for": _TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**_RETRY)
def statement_link_task(statement_id: int) -> None:
    """Suggest claims for a new statement."""
    statement_link(statement_id=statement_id)


@shared_task(**_RETRY)
def claim_link_recent_task(claim_id: int) -> None:
    """Search recent statements for a new claim or a claim with a new variant."""
    claim_link_recent(claim_id=claim_id)
