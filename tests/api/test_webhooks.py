"""Webhooks: signed POSTs to a real local HTTP server, sent by a real Celery worker."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

from django.utils import timezone

from api.models import WebhookDelivery
from api.services.tokens import token_revoke
from api.services.webhooks import deliveries_requeue_stale, delivery_send
from tests.factories import ClaimFactory, SuggestionFactory
from tests.workers import broker_flush, queued_messages, wait_until


def _signed_by(secret: str, headers: dict, body: bytes) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Claimledger-Signature"], expected)


def test_an_accepted_suggestion_is_posted_signed_to_the_subscriber(
    roles, api_as, site, celery_worker_process
):
    subscriber = api_as("Viewer", webhook_url=f"{site.url}/hook")
    api_as("Viewer")  # no subscriber URL: nothing sent for it
    suggestion = SuggestionFactory()
    analyst = api_as("Analyst")
    response = analyst.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {}, format="json")
    assert response.status_code == 200

    wait_until(lambda: site.posts, timeout=60, what="the webhook POST")
    path, headers, body = site.posts[0]
    assert path == "/hook"
    assert headers["X-Claimledger-Event"] == "suggestion.accepted"
    assert _signed_by(subscriber.token.webhook_secret, headers, body)
    payload = json.loads(body)
    assert payload["data"]["suggestion"] == suggestion.pk
    assert payload["data"]["link"] == response.json()["link"]
    assert payload["data"]["accepted_by"] == analyst.user.username
    wait_until(
        lambda: WebhookDelivery.objects.filter(status="delivered").exists(),
        what="the delivery logged as delivered",
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.response_status) == (1, 204)
    assert len(site.posts) == 1


def test_a_refused_delivery_is_retried_until_it_lands(roles, api_as, site, celery_worker_process):
    api_as("Viewer", webhook_url=f"{site.url}/hook")
    site.failures["/hook"] = 2  # answered 503 twice
    claim = ClaimFactory()
    response = api_as("Analyst").patch(
        f"/api/v1/claims/{claim.pk}/",
        {"verdict": "False", "verdict_rating": 1, "review_url": "https://desk.example/1"},
        format="json",
    )
    assert response.status_code == 200
    wait_until(lambda: site.posts, timeout=90, what="the retried webhook POST")
    _, headers, body = site.posts[0]
    assert headers["X-Claimledger-Event"] == "claim.verdict_changed"
    payload = json.loads(body)
    assert payload["data"]["after"]["verdict"] == "False"
    assert payload["data"]["before"]["verdict"] == ""
    wait_until(
        lambda: WebhookDelivery.objects.filter(status="delivered").exists(),
        what="the delivery logged as delivered",
    )
    assert WebhookDelivery.objects.get().attempts == 3


def test_a_claim_saved_with_its_verdict_unchanged_sends_nothing(api_as):
    api_as("Viewer", webhook_url="https://subscriber.example/hook")
    claim = ClaimFactory(verdict="False", review_url="https://desk.example/2")
    assert WebhookDelivery.objects.count() == 1  # a new verdict is a change
    claim.gloss_en = "a new gloss"
    claim.save()
    assert WebhookDelivery.objects.count() == 1


def test_a_revoked_token_gets_no_deliveries(api_as):
    client = api_as("Viewer", webhook_url="https://subscriber.example/hook")
    token_revoke(token_id=client.token.pk)
    ClaimFactory(verdict="False", review_url="https://desk.example/3")
    assert not WebhookDelivery.objects.exists()


def test_the_sweeper_queues_again_a_delivery_pending_too_long(
    api_as, settings, django_capture_on_commit_callbacks
):
    api_as("Viewer", webhook_url="https://subscriber.example/hook")
    ClaimFactory(verdict="False", review_url="https://desk.example/4")
    delivery = WebhookDelivery.objects.get()
    broker_flush()
    assert deliveries_requeue_stale() == 0  # not stale yet
    WebhookDelivery.objects.update(
        status_changed_at=timezone.now() - timedelta(seconds=settings.STALE_AFTER_SECONDS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue_stale() == 1
    assert queued_messages() == 1
    delivery.refresh_from_db()
    assert delivery.status_changed_at > timezone.now() - timedelta(seconds=60)


def test_sending_a_delivered_delivery_again_posts_nothing(api_as, site):
    api_as("Viewer", webhook_url=f"{site.url}/hook")
    ClaimFactory(verdict="False", review_url="https://desk.example/5")
    delivery = WebhookDelivery.objects.get()
    assert delivery_send(delivery_id=delivery.pk).status == "delivered"
    assert delivery_send(delivery_id=delivery.pk) is None
    assert len(site.posts) == 1
