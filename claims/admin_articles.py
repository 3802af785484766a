"""The article admin seen from the claims side: what extraction found, and re-extraction.

sources knows nothing about claims, so its ArticleAdmin is extended here and registered in
its place (claims/admin.py imports this module last).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims.models import ArticleExtraction, Statement
from claims.selectors import articles_for_reextraction
from claims.services.queueing import articles_reextract_queue
from sources.admin import ArticleAdmin
from sources.models import Article

EXTRACTION_FIELDS = [
    "statement_list_link",
    "extraction_statements",
    "extraction_unattributed",
    "extraction_new_speakers",
    "extraction_runs",
    "extracted_at",
]


def _statement_count() -> Coalesce:
    # A subquery per article row rather than a JOIN and GROUP BY: a page of 100 articles
    # counts those articles' statements (statement_unique_span's index), not every one first.
    counted = (
        Statement.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


class ArticleWithStatementsAdmin(ArticleAdmin):
    list_display = [*ArticleAdmin.list_display, "statement_count"]
    readonly_fields = [*ArticleAdmin.readonly_fields, *EXTRACTION_FIELDS]
    fieldsets = [*ArticleAdmin.fieldsets, ("Statement extraction", {"fields": EXTRACTION_FIELDS})]
    actions = ["reextract_statements"]

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else fieldsets[:-1]  # nothing extracted yet

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # statement_count: statements stored for each article, for the column and its sorting.
        return super().get_queryset(request).annotate(statement_count=_statement_count())

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, obj: Article) -> int:
        return obj.statement_count

    @admin.display(description="Statements")
    def statement_list_link(self, obj: Article) -> str:
        url = reverse("admin:claims_statement_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}">{} statements of this article</a>',
            url,
            obj.pk,
            obj.statement_count,
        )

    def _extraction(self, obj: Article) -> ArticleExtraction | None:
        return getattr(obj, "extraction", None)  # None until the article is extracted

    @admin.display(description="Found by the last extraction")
    def extraction_statements(self, obj: Article) -> int | str:
        record = self._extraction(obj)
        return record.statements if record else "—"

    @admin.display(description="Unattributed (unnamed sources, not stored)")
    def extraction_unattributed(self, obj: Article) -> int | str:
        record = self._extraction(obj)
        return record.unattributed if record else "—"

    @admin.display(description="New speakers")
    def extraction_new_speakers(self, obj: Article) -> int | str:
        record = self._extraction(obj)
        return record.new_speakers if record else "—"

    @admin.display(description="Extraction runs")
    def extraction_runs(self, obj: Article) -> int | str:
        record = self._extraction(obj)
        return record.runs if record else "—"

    @admin.display(description="Last extracted")
    def extracted_at(self, obj: Article):
        record = self._extraction(obj)
        return record.extracted_at if record else "—"

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
