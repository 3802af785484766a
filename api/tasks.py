"""Celery tasks of the API: webhook deliveries (api/services/webhooks.py)."""

from __future__ import annotations

from celery import shared_task

from api.services.webhooks import WebhookRetry, deliveries_requeue_stale, delivery_send
from claims.services import queueing
from config.celery import retry_transient


@shared_task(name=queueing.DELIVER_WEBHOOK, **retry_transient(WebhookRetry))
def deliver_webhook(delivery_id: int) -> None:
    """POST one webhook delivery; retried with growing pauses until it is answered 2xx."""
    delivery_send(delivery_id=delivery_id)


@shared_task(name=queueing.SWEEP_PENDING_WEBHOOKS)
def sweep_pending_webhooks() -> None:
    """Queue again the deliveries whose message was lost."""
    deliveries_requeue_stale()
