"""Webhooks: a signed POST to each live token's subscriber URL when a suggestion is accepted
or a claim's verdict changes.

Each event for each subscriber is a WebhookDelivery row written in the transaction of the
event itself, then queued once it commits; a lost message is found by the sweeper from the
row's state. The body is signed with the token's webhook secret: the header
`X-Claimledger-Signature: sha256=<hex HMAC-SHA256 of the body>` lets the subscriber check
it came from us, unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, WebhookDelivery
from claims.models import Claim, ClaimLink
from claims.services import queueing
from claims.services.sweeping import stale_rows_requeue

SIGNATURE_HEADER = "X-Claimledger-Signature"
_ERROR_MAX = 2000


class WebhookRetry(Exception):
    """A delivery failed in a way worth trying again (no answer, or not a 2xx)."""


def subscribers() -> list[ApiToken]:
    return list(ApiToken.objects.filter(revoked_at__isnull=True).exclude(webhook_url=""))


def deliveries_create(*, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One pending delivery per subscriber, queued when the caller's transaction commits."""
    tokens = subscribers()
    if not tokens:
        return []
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            token=token,
            event=event,
            url=token.webhook_url,
            payload={"event": event, "occurred_at": now.isoformat(), "data": data},
        )
        for token in tokens
    )
    queueing.webhook_deliveries_queue(d.pk for d in deliveries)
    return deliveries


def suggestion_accepted_notify(*, link: ClaimLink, suggestion_id: int, user: Any) -> None:
    deliveries_create(
        event=WebhookDelivery.Event.SUGGESTION_ACCEPTED,
        data={
            "suggestion": suggestion_id,
            "link": link.pk,
            "statement": link.statement_id,
            "claim": link.claim_id,
            "stance": link.stance,
            "accepted_by": user.get_username() if user else None,
        },
    )


VERDICT_FIELDS = ("verdict", "verdict_rating", "reviewer", "review_url", "review_date")


def verdict_of(claim: Claim) -> dict[str, Any]:
    return {name: getattr(claim, name) for name in VERDICT_FIELDS}


def verdict_changed_notify(*, claim: Claim, before: dict[str, Any] | None) -> None:
    after = verdict_of(claim)
    if (before or {"verdict": ""}) == after or (before is None and not claim.verdict):
        return
    deliveries_create(
        event=WebhookDelivery.Event.VERDICT_CHANGED,
        data={
            "claim": claim.pk,
            "text": claim.text,
            "before": json.loads(json.dumps(before, cls=DjangoJSONEncoder)) if before else None,
            "after": json.loads(json.dumps(after, cls=DjangoJSONEncoder)),
        },
    )


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_send(*, delivery_id: int) -> WebhookDelivery | None:
    """POST a pending delivery once. Delivered on a 2xx; otherwise the attempt is counted and
    WebhookRetry raised (the task retries it) until WEBHOOK_MAX_ATTEMPTS, then failed.

    The row is locked while its POST is in flight (SKIP LOCKED): a second delivery of the same
    message, or the sweeper, passes over it instead of posting twice at once.
    """
    retry = False
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("token")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None  # delivered, failed for good, or in flight elsewhere
        body = json.dumps({"delivery": delivery.pk, **delivery.payload}).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": settings.FETCH_USER_AGENT,
            "X-Claimledger-Event": delivery.event,
            "X-Claimledger-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(delivery.token.webhook_secret, body),
        }
        delivery.attempts += 1
        delivery.status_changed_at = timezone.now()
        try:
            response = requests.post(
                delivery.url,
                data=body,
                headers=headers,
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            delivery.response_status, delivery.error = None, f"{type(exc).__name__}: {exc}"
        else:
            delivery.response_status = response.status_code
            delivery.error = "" if response.ok else f"answered {response.status_code}"
        if delivery.error == "":
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            retry = True
        delivery.error = delivery.error[:_ERROR_MAX]
        delivery.save()
    if retry:
        raise WebhookRetry(f"webhook delivery #{delivery.pk} to {delivery.url}: {delivery.error}")
    return delivery


def deliveries_requeue_stale() -> int:
    """Queue again the deliveries pending too long (a lost message, a worker that died)."""
    return stale_rows_requeue(
        pending=WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING),
        stamp="status_changed_at",
        queue=queueing.webhook_deliveries_queue,
    )
