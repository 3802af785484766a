"""Reads behind the sources admin: counts per row, the countries to filter by, run progress."""

from __future__ import annotations

import pytest

from sources.models import Article, IngestionRun, Source
from sources.selectors import (
    count_of,
    ingestion_run_status_counts,
    source_countries,
    sources_with_article_counts,
)
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_sources_come_with_their_article_counts() -> None:
    busy, quiet = SourceFactory(), SourceFactory()
    ArticleFactory.create_batch(2, source=busy)
    counted = sources_with_article_counts(sources=Source.objects.all())
    assert {source.pk: source.article_count for source in counted} == {busy.pk: 2, quiet.pk: 0}


def test_a_count_counts_only_the_rows_it_is_given() -> None:
    source = SourceFactory()
    ArticleFactory(source=source, status=Article.Status.PROCESSED)
    ArticleFactory(source=source)
    processed = Article.objects.filter(status=Article.Status.PROCESSED)
    counted = Source.objects.annotate(processed=count_of(processed, pointing_at="source"))
    assert counted.get().processed == 1


def test_each_country_is_offered_once_in_order() -> None:
    for country in ["PK", "AZ", "PK", ""]:
        SourceFactory(country=country)
    assert source_countries() == ["AZ", "PK"]


def test_a_runs_articles_are_counted_by_status() -> None:
    run = IngestionRun.objects.create(kind="feed", target="https://outlet.example/rss")
    ArticleFactory.create_batch(2, ingestion_run=run)
    ArticleFactory(ingestion_run=run, status=Article.Status.PROCESSED)
    ArticleFactory()  # another run's
    assert ingestion_run_status_counts(run=run) == [("pending", 2), ("processed", 1)]
