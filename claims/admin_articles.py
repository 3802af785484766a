"""The article admin seen from the claims side: what extraction found, and re-extraction.

sources knows nothing about claims, so its ArticleAdmin is extended here and registered in
its place when claims/admin.py imports this module.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims.selectors import articles_for_reextraction, articles_with_statement_counts
from claims.services.queueing import articles_reextract_queue
from sources.admin import ArticleAdmin, count_column
from sources.models import Article

EXTRACTION_FIELDS = [
    "statement_list_link",
    "extraction_statements",
    "extraction_unattributed",
    "extraction_new_speakers",
    "extraction_runs",
    "extracted_at",
]


def _extraction_figure(name: str, description: str) -> Callable[[ArticleAdmin, Article], object]:
    """A read-only field: `name` of the article's extraction record, "—" before the first."""

    @admin.display(description=description)
    def field(model_admin: ArticleAdmin, obj: Article) -> object:
        record = getattr(obj, "extraction", None)  # None until the article is extracted
        return getattr(record, name) if record else "—"

    return field


class ArticleWithStatementsAdmin(ArticleAdmin):
    list_display = [*ArticleAdmin.list_display, "statement_count"]
    readonly_fields = [*ArticleAdmin.readonly_fields, *EXTRACTION_FIELDS]
    fieldsets = [*ArticleAdmin.fieldsets, ("Statement extraction", {"fields": EXTRACTION_FIELDS})]
    actions = ["reextract_statements"]

    statement_count = count_column("statement_count", "Statements")
    extraction_statements = _extraction_figure("statements", "Found by the last extraction")
    extraction_unattributed = _extraction_figure(
        "unattributed", "Unattributed (unnamed sources, not stored)"
    )
    extraction_new_speakers = _extraction_figure("new_speakers", "New speakers")
    extraction_runs = _extraction_figure("runs", "Extraction runs")
    extracted_at = _extraction_figure("extracted_at", "Last extracted")

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else fieldsets[:-1]  # nothing extracted yet

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # statement_count: statements stored for each article, for the column and its sorting.
        return articles_with_statement_counts(articles=super().get_queryset(request))

    @admin.display(description="Statements")
    def statement_list_link(self, obj: Article) -> str:
        url = reverse("admin:claims_statement_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}">{} statements of this article</a>',
            url,
            obj.pk,
            obj.statement_count,
        )

    def has_reextract_permission(self, request: HttpRequest) -> bool:
        # Re-extraction rewrites and removes statements: the same right as editing them.
        return request.user.has_perm("claims.change_statement")

    @admin.action(
        description="Re-extract statements of selected articles", permissions=["reextract"]
    )
    def reextract_statements(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        chosen = set(queryset.values_list("pk", flat=True))
        eligible = list(articles_for_reextraction(ids=chosen).values_list("pk", flat=True))
        queued = articles_reextract_queue(eligible)
        self.message_user(
            request,
            f"{queued} articles queued for re-extraction; statements with a confirmed link or "
            "a reviewed suggestion are kept as they are.",
            messages.SUCCESS,
        )
        if skipped := len(chosen) - queued:
            self.message_user(
                request,
                f"{skipped} skipped: pending articles are extracted as usual, duplicates have "
                "their statements on the original.",
                messages.WARNING,
            )


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithStatementsAdmin)
