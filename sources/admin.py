from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from sources.bidi import BidiAdminMixin, bidi
from sources.models import Article, Source


@admin.register(Source)
class SourceAdmin(BidiAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "default_language", "domain", "article_count"]
    list_filter = ["kind", "country", "default_language"]
    search_fields = ["name", "domain"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        # article_count: articles per source, for the list column and its sorting.
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, obj: Source) -> int:
        return obj.article_count


@admin.register(Article)
class ArticleAdmin(BidiAdminMixin, admin.ModelAdmin):
    list_display = ["headline", "source", "language", "published_at", "status", "is_duplicate"]
    list_filter = ["status", "language", "source"]
    list_select_related = ["source"]
    search_fields = ["url", "title"]
    date_hierarchy = "published_at"
    raw_id_fields = ["duplicate_of"]
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
