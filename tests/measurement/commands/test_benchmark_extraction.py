"""benchmark_extraction: both speeds, measured in a throwaway schema."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from claims.models import Claim
from sources.models import Article

pytestmark = pytest.mark.django_db

BENCHMARK = Path(settings.BASE_DIR) / "tests" / "fixtures" / "extraction_benchmark"


def benchmark(*args: str) -> tuple[str, dict]:
    out = StringIO()
    call_command("benchmark_extraction", *args, "--json", stdout=out, stderr=StringIO())
    return out.getvalue(), json.loads(out.getvalue().strip().splitlines()[-1])


def test_it_cycles_the_benchmark_articles_through_ingest_sync() -> None:
    output, figures = benchmark("--data", str(BENCHMARK), "--language", "en", "--articles", "5")

    assert "extractor alone: 5 articles" in output
    assert "ingest --sync:   5 articles" in output
    assert figures["language"] == "en"
    assert figures["distinct_articles"] == 2
    # Every copy is stored as a new article (its own URL and text), none as a duplicate.
    assert figures["ingest_sync"]["articles"] == 5
    assert figures["extractor"]["articles"] == 5
    assert figures["ingest_sync"]["articles_per_second"] > 0


def test_it_leaves_no_schema_and_no_rows_behind() -> None:
    benchmark("--data", str(BENCHMARK / "en"), "--articles", "2")
    assert not Article.objects.exists()
    assert not Claim.objects.exists()  # the seed story was loaded in the scratch schema only
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'evaluation_%%'")
        assert cursor.fetchone()[0] == 0


def test_without_data_it_runs_on_the_seed_article() -> None:
    _, figures = benchmark("--articles", "2")
    assert figures["language"] == "ur"
    assert figures["distinct_articles"] == 1
    assert figures["extractor"]["statements"] > 0
    assert figures["ingest_sync"]["articles"] == 2
