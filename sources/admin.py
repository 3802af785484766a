from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html_join

from sources.bidi import BidiAdminMixin, bidi
from sources.models import Article, Feed, IngestionRun, Source
from sources.search import TRUNCATED_NOTICE, capped_search
from sources.selectors import ingestion_run_status_counts, sources_with_article_counts


def count_column(annotation: str, description: str) -> Callable[[admin.ModelAdmin, Model], int]:
    """A list column for a count the admin's queryset annotates, sortable by that count."""

    @admin.display(description=description, ordering=annotation)
    def column(model_admin: admin.ModelAdmin, obj: Model) -> int:
        return getattr(obj, annotation)

    return column


class LimitedSearchChangeList(ChangeList):
    """A list whose search box searches only `capped_search`'s part of what was typed, and
    shows that part: a pasted article makes one condition per word."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        self.query = capped_search(self.query)[0]
        return super().get_queryset(request, exclude_parameters)


class LimitedSearch:
    """For an admin with a search box: the search page's cap on words, said on the page."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return LimitedSearchChangeList

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if capped_search(request.GET.get(SEARCH_VAR, ""))[1]:
            self.message_user(request, TRUNCATED_NOTICE, messages.WARNING)
        return response


class FeedInline(BidiAdminMixin, admin.TabularInline):
    model = Feed
    fields = ["url", "is_active", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]
    extra = 0


@admin.register(Source)
class SourceAdmin(LimitedSearch, BidiAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "default_language", "domain", "article_count"]
    list_filter = ["kind", "country", "default_language"]
    search_fields = ["name", "domain"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [FeedInline]

    article_count = count_column("article_count", "Articles")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        # article_count: articles per source, for the list column and its sorting.
        return sources_with_article_counts(sources=super().get_queryset(request))


@admin.register(Article)
class ArticleAdmin(LimitedSearch, BidiAdminMixin, admin.ModelAdmin):
    list_display = ["headline", "source", "language", "published_at", "status", "is_duplicate"]
    list_filter = ["status", "language", "source", "ingestion_run__kind"]
    list_select_related = ["source"]
    search_fields = ["url", "title"]
    date_hierarchy = "published_at"
    raw_id_fields = ["duplicate_of", "ingestion_run"]
    autocomplete_fields = ["source"]
    readonly_fields = ["content_hash", "created_at", "status_changed_at", "attempts"]
    fieldsets = [
        (None, {"fields": ["source", "url", "title", "language", "author", "published_at"]}),
        ("Text as published", {"fields": ["body"]}),
        (
            "Ingestion",
            {
                "fields": [
                    "status",
                    "status_changed_at",
                    "attempts",
                    "error",
                    "content_hash",
                    "duplicate_of",
                    "ingestion_run",
                    "created_at",
                ]
            },
        ),
    ]

    @admin.display(description="Article", ordering="title")
    def headline(self, obj: Article) -> str:
        return bidi(obj.title or obj.body, limit=90, lang=obj.language)

    @admin.display(description="Duplicate", boolean=True)
    def is_duplicate(self, obj: Article) -> bool:
        return obj.duplicate_of_id is not None


@admin.register(Feed)
class FeedAdmin(LimitedSearch, BidiAdminMixin, admin.ModelAdmin):
    list_display = ["url", "source", "is_active", "last_polled_at", "last_error"]
    list_filter = ["is_active", "source"]
    list_select_related = ["source"]
    search_fields = ["url", "source__name"]
    autocomplete_fields = ["source"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_error", "created_at"]


@admin.register(IngestionRun)
class IngestionRunAdmin(LimitedSearch, admin.ModelAdmin):
    list_display = [
        "started_at",
        "kind",
        "target",
        "status",
        "total",
        "new",
        "duplicates",
        "failed",
        "duration",
    ]
    list_filter = ["status", "kind", "source"]
    list_select_related = ["source", "feed"]
    search_fields = ["target"]
    date_hierarchy = "started_at"
    readonly_fields = [
        "kind",
        "target",
        "source",
        "feed",
        "status",
        "total",
        "new",
        "duplicates",
        "failed",
        "error",
        "error_list",
        "started_at",
        "finished_at",
        "article_progress",
    ]
    exclude = ["errors"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs are made by ingesting, never by hand

    @admin.display(description="Took")
    def duration(self, obj: IngestionRun) -> str:
        if obj.finished_at is None:
            return "running"
        return f"{(obj.finished_at - obj.started_at).total_seconds():.1f} s"

    @admin.display(description="Errors (where: what)")
    def error_list(self, obj: IngestionRun) -> str:
        if not obj.errors:
            return "—"
        return format_html_join("", '<div dir="auto">{}</div>', ((e["error"],) for e in obj.errors))

    @admin.display(description="Articles by status")
    def article_progress(self, obj: IngestionRun) -> str:
        counts = ingestion_run_status_counts(run=obj)
        return ", ".join(f"{status}: {n}" for status, n in counts) or "—"
