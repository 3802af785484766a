"""Watches (what a user follows), events (what happened, once) and notifications (an event
for one user, once, with its e-mail delivery state)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim, Speaker, Stance, Statement


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "E-mail at once"
    DIGEST = "digest", "Daily digest e-mail"
    IN_APP = "in_app", "In the app only"


class Watch(models.Model):
    class Kind(models.TextChoices):
        CLAIM = "claim", "Claim"
        SPEAKER = "speaker", "Speaker"
        SEARCH = "search", "Saved search"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    name = models.CharField(max_length=200, blank=True, help_text="A saved search's name")
    query = models.TextField(
        blank=True, help_text="A saved search's filters, as the search page's query string"
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIGEST)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # A saved search's cheap filters, copied out of `query` on save (alerts/services/
    # watches.py) so one SQL can pick the searches that may match new statements; the
    # search page's filter class then decides. Never edited by hand.
    search_language = models.CharField(max_length=10, blank=True, editable=False)
    search_speaker_id = models.BigIntegerField(null=True, blank=True, editable=False)
    search_outlet_id = models.BigIntegerField(null=True, blank=True, editable=False)
    search_kind = models.CharField(max_length=12, blank=True, editable=False)
    search_tsquery = models.TextField(blank=True, editable=False)
    # Filters on claim or stance: such a search matches a statement once a link is confirmed.
    search_links = models.BooleanField(default=False, editable=False)
    # Only filters these columns hold, all valid: the columns decide a match on their own.
    search_exact = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["user", "kind", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="claim", claim__isnull=False, speaker__isnull=True)
                    | Q(kind="speaker", speaker__isnull=False, claim__isnull=True)
                    | (Q(kind="search", claim__isnull=True, speaker__isnull=True) & ~Q(name=""))
                ),
                name="watch_target_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "claim"], condition=Q(kind="claim"), name="watch_unique_claim"
            ),
            models.UniqueConstraint(
                fields=["user", "speaker"],
                condition=Q(kind="speaker"),
                name="watch_unique_speaker",
            ),
            models.UniqueConstraint(
                fields=["user", "name"], condition=Q(kind="search"), name="watch_unique_search"
            ),
        ]
        indexes = [
            # Events: the watchers of the claims and speakers of newly stored rows.
            models.Index(fields=["claim"], condition=Q(kind="claim"), name="watch_claim_idx"),
            models.Index(fields=["speaker"], condition=Q(kind="speaker"), name="watch_speaker_idx"),
            # Saved searches, scanned whole (a few thousand rows) per batch of new statements.
            models.Index(
                fields=["search_links"], condition=Q(kind="search"), name="watch_search_idx"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CLAIM:
            return f"Claim: {self.claim}"
        if self.kind == self.Kind.SPEAKER:
            return f"Speaker: {self.speaker}"
        return f"Saved search: {self.name}"


class Event(models.Model):
    """Something that happened to watched data, computed once, when the data landed."""

    class Kind(models.TextChoices):
        RESURFACED = "resurfaced", "Claim resurfaced"
        REVERSAL = "reversal", "Speaker reversal"
        SEARCH = "search", "Saved search matched"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What makes it one event: a second run of a task computes the same key, and the insert
    # does nothing.
    key = models.CharField(max_length=100, unique=True)
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    watch = models.ForeignKey(
        Watch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text="The saved search that matched",
    )
    stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    previous_stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    previous_statement = models.ForeignKey(
        Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed = models.BooleanField(
        default=False, help_text="From a confirmed link rather than a suggestion"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: statement {self.statement_id}"


class Notification(models.Model):
    """An event for one user: shown in the app, and e-mailed as their watch asks."""

    class Email(models.TextChoices):
        PENDING = "pending", "To be sent"
        SENT = "sent", "Sent"
        NONE = "none", "Not e-mailed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    watch = models.ForeignKey(
        Watch, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    email = models.CharField(max_length=8, choices=Email.choices)
    # Stamped when queued for e-mail, and again by the sweeper when it queues it again.
    email_queued_at = models.DateTimeField(default=timezone.now)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Each event reaches each user once, however often the tasks that found it run.
            models.UniqueConstraint(fields=["user", "event"], name="notification_unique_event"),
            models.CheckConstraint(
                condition=Q(email_sent_at__isnull=True) | Q(email="sent"),
                name="notification_sent_at_iff_sent",
            ),
        ]
        indexes = [
            # The notifications page, newest first, and the unread badge on every page.
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            # The sweeper and the digest: e-mails still owed.
            models.Index(
                fields=["delivery", "email_queued_at"],
                condition=Q(email="pending"),
                name="notification_email_owed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class Preference(models.Model):
    """A user's alert preferences: the language of the e-mails' and pages' wording."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
