"""The generated data set is valid data: offsets, languages, links and search documents."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from claims.models import Claim, ClaimLink, ClaimVariant, MatchingStatus, Speaker, Statement
from claims.selectors import statement_list
from measurement.dataset import DatasetError, dataset_generate
from sources.models import Article
from sources.search import search_document

pytestmark = pytest.mark.django_db


def test_a_small_data_set_holds_valid_rows_in_all_six_languages() -> None:
    report = dataset_generate(statements=120, claims=12, articles=30, seed=7)
    assert report.created["statements"] == 120
    statements = list(Statement.objects.select_related("article"))
    assert len(statements) == 120
    for statement in statements:
        assert statement.article.body[statement.start : statement.end] == statement.text
    assert {s.language for s in statements} == {"ur", "fa", "ar", "en", "az", "ru"}
    assert Article.objects.count() == 30
    assert ClaimVariant.objects.exclude(language=F("claim__language")).exists()
    assert Speaker.objects.filter(aliases__language="ru").exists()
    assert ClaimLink.objects.exists()


def test_generated_statements_are_found_by_search() -> None:
    dataset_generate(statements=60, claims=6, articles=12, seed=3)
    statement = Statement.objects.select_related("article").get(
        pk=Statement.objects.order_by("id").values("pk")[:1]
    )
    expected = search_document(statement.text, statement.article.title)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document = %s::tsvector FROM claims_statement WHERE id = %s",
            [expected, statement.pk],
        )
        assert cursor.fetchone() == (True,)
    word = statement.text.split()[0]
    assert statement in statement_list(filters={"q": word, "speaker": statement.speaker_id})


def test_running_it_twice_adds_a_second_set_beside_the_first() -> None:
    dataset_generate(statements=20, claims=2, articles=5, seed=1)
    dataset_generate(statements=20, claims=2, articles=5, seed=1)
    assert Statement.objects.count() == 40
    Statement.objects.create(  # sequences were moved past the copied ids
        article=Article.objects.first(),
        speaker=Speaker.objects.first(),
        text=Article.objects.first().body[:3],
        start=0,
        end=3,
    )


def test_a_generated_data_set_arrives_matched_and_leaves_the_sweepers_idle() -> None:
    dataset_generate(statements=200, claims=20, articles=50, seed=3)
    assert not Statement.objects.exclude(matching_status=MatchingStatus.DONE).exists()
    assert not Claim.objects.exclude(matching_status=MatchingStatus.DONE).exists()


def test_more_articles_than_statements_is_refused() -> None:
    with pytest.raises(DatasetError, match="articles \\(5\\) cannot outnumber statements \\(2\\)"):
        dataset_generate(statements=2, claims=1, articles=5)


def test_the_benchmark_command_reports_search_and_admin_figures(capsys) -> None:
    dataset_generate(statements=60, claims=6, articles=12, seed=5)
    call_command("benchmark", "--runs", "1", "--only", "search,admin")
    out = capsys.readouterr().out
    assert "search, newest first (the default)" in out
    assert "admin statement changelist, all cases" in out


def test_the_alerts_benchmark_reports_its_figures_and_keeps_nothing(capsys, roles) -> None:
    from alerts.models import Event, Watch

    dataset_generate(statements=60, claims=6, articles=12, seed=5)
    call_command("benchmark", "--runs", "1", "--only", "alerts")
    out = capsys.readouterr().out
    assert out.count("per stored statement: median") == 3
    assert "1,000 saved searches" in out
    assert not Watch.objects.exists() and not Event.objects.exists()
