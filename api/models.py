"""API tokens (stored hashed) and the webhook deliveries made for their subscribers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiToken(models.Model):
    """A user's key to the API. Only its SHA-256 is stored: the secret is shown once.

    A key reads `<prefix>.<secret>`; the prefix is stored in clear so a user can tell their
    keys apart in the admin and the API finds the row by an indexed lookup.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What this key is for, e.g. 'CMS sidebar'")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the secret")
    webhook_url = models.URLField(
        max_length=2000,
        blank=True,
        help_text="Receives a signed POST when a suggestion is accepted or a claim's verdict "
        "changes (empty: no webhooks)",
    )
    # Needed in clear to sign each delivery (HMAC-SHA256); shown once, with the key.
    webhook_secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"
        indexes = [
            # The webhook fan-out: live tokens with a subscriber URL.
            models.Index(
                fields=["id"],
                condition=Q(revoked_at__isnull=True) & ~Q(webhook_url=""),
                name="apitoken_subscribers_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookDelivery(models.Model):
    """One event for one subscriber: pending until its POST is answered 2xx or retries end."""

    class Event(models.TextChoices):
        SUGGESTION_ACCEPTED = "suggestion.accepted", "Suggestion accepted"
        VERDICT_CHANGED = "claim.verdict_changed", "Claim verdict changed"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    url = models.URLField(max_length=2000, help_text="The subscriber URL when the event happened")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # The sweeper: deliveries still pending and stamped before the stale threshold.
            models.Index(
                fields=["status_changed_at"],
                condition=Q(status="pending"),
                name="webhookdelivery_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.url} ({self.status})"
