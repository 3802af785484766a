"""Reads over sources, feeds and articles, and the count column every admin list uses."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from sources.models import Article, IngestionRun, Source


def count_of(rows: QuerySet, *, pointing_at: str) -> Coalesce:
    """An annotation: how many of `rows` point at the outer row through `pointing_at`.

    A subquery per outer row rather than a JOIN and GROUP BY: a page of 50 rows then counts
    those rows' related rows (through the index on `pointing_at`), not every one first.
    """
    counted = (
        rows.filter(**{pointing_at: OuterRef("pk")})
        .order_by()
        .values(pointing_at)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def sources_with_article_counts(*, sources: QuerySet[Source]) -> QuerySet[Source]:
    """`sources`, each with article_count: the articles stored from it."""
    return sources.annotate(article_count=count_of(Article.objects.all(), pointing_at="source"))


def source_countries() -> list[str]:
    """The countries of the sources, each once, in order; sources without one are left out."""
    countries = Source.objects.exclude(country="").values_list("country", flat=True)
    return list(countries.distinct().order_by("country"))


def ingestion_run_status_counts(*, run: IngestionRun) -> list[tuple[str, int]]:
    """(status, how many) of the articles `run` stored, by status."""
    return list(run.articles.values_list("status").annotate(n=Count("id")).order_by("status"))
