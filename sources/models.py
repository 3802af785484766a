"""Where text comes from: outlets and the articles they publish. Knows nothing about claims."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

# BCP 47 primary tag with optional subtags (ur, fa, az-Latn, pt-BR); empty means unknown.
LANGUAGE_CODE_RE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
COUNTRY_CODE_RE = r"^[A-Z]{2}$"


def language_field(**kwargs) -> models.CharField:
    kwargs.setdefault("help_text", "BCP 47 code: ur, fa, ar, en, az, ru…")
    return models.CharField(max_length=35, blank=True, **kwargs)


def language_constraint(model: str, field: str = "language") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__regex": LANGUAGE_CODE_RE}),
        name=f"{model}_{field}_is_bcp47",
        violation_error_message=f"{field} must be a BCP 47 code such as 'ur' or 'az-Latn'.",
    )


def country_constraint(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(country="") | Q(country__regex=COUNTRY_CODE_RE),
        name=f"{model}_country_is_iso_alpha2",
        violation_error_message="country must be an ISO 3166-1 alpha-2 code such as 'IR'.",
    )


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS_AGENCY = "news_agency", "News agency"
        NEWSPAPER = "newspaper", "Newspaper"
        BROADCASTER = "broadcaster", "Broadcaster"
        ONLINE = "online", "Online outlet"
        GOVERNMENT = "government", "Government or official channel"
        PARTY = "party", "Political party"
        SOCIAL = "social", "Social media account"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS_AGENCY)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, e.g. IR")
    default_language = language_field()
    home_url = models.URLField(max_length=500, blank=True)
    domain = models.CharField(
        max_length=253, blank=True, help_text="Host name without www, e.g. mehrnews.com"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            country_constraint("source"),
            language_constraint("source", "default_language"),
            # One source per domain, so an article's URL identifies its outlet.
            models.UniqueConstraint(
                fields=["domain"], condition=~Q(domain=""), name="source_unique_domain"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="articles")
    url = models.URLField(max_length=2000, unique=True, help_text="Canonical URL")
    title = models.TextField(blank=True)
    body = models.TextField(help_text="The text exactly as published")
    language = language_field()
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the normalised body"
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text="The first article seen with the same content under another URL",
    )
    ingestion_run = models.ForeignKey(
        "IngestionRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The run that first stored it",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            language_constraint("article"),
            # At most one original per content hash; later copies point at it via duplicate_of.
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=Q(duplicate_of__isnull=True),
                name="article_unique_original_content",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="article_not_duplicate_of_itself"
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="article_failed_has_error",
                violation_error_message="A failed article must say why it failed.",
            ),
        ]
        indexes = [
            # Duplicate detection looks up by hash on every ingested article.
            models.Index(fields=["content_hash"], name="article_content_hash_idx"),
            # The sweeper re-queues articles pending since before a given time.
            models.Index(
                fields=["status_changed_at"],
                condition=Q(status="pending"),
                name="article_pending_idx",
            ),
            # A source's articles, newest first (admin filter, source pages).
            models.Index(fields=["source", "-published_at"], name="article_source_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class Feed(models.Model):
    """An RSS or Atom feed of a source, polled by Celery beat."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    is_active = models.BooleanField(default=True)
    # Conditional GET: an unchanged feed answers 304 and costs nothing.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["source", "url"]

    def __str__(self) -> str:
        return self.url


class IngestionRun(models.Model):
    """One ingestion of a file, folder, page or feed: what came in and what went wrong."""

    class Kind(models.TextChoices):
        FILE = "file", "File (JSON Lines or CSV)"
        FOLDER = "folder", "Folder of HTML pages"
        PAGE = "page", "Web page"
        FEED = "feed", "RSS/Atom feed"
        API = "api", "API request"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        PARTIAL = "partial", "Partly failed"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    target = models.TextField(help_text="The path or URL ingested")
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="ingestion_runs"
    )
    feed = models.ForeignKey(
        Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="ingestion_runs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(default=0, help_text="Records read")
    new = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # [{"where": "line 7" | URL, "error": "..."}], one entry per rejected record.
    errors = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, help_text="Why the whole run failed, if it did")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="running", finished_at__isnull=True)
                | (~Q(status="running") & Q(finished_at__isnull=False)),
                name="ingestionrun_finished_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target} ({self.get_status_display()})"
