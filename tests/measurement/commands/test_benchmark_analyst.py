"""benchmark --only analyst and --load: the analysts' pages timed, and a bounded load run
against a real gunicorn on 127.0.0.1 that leaves no user behind."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command

from measurement.analyst_benchmark import ANALYST_PREFIX
from tests.factories import StatementFactory, SuggestionFactory


def _data() -> None:
    for text in ["the pipeline will open", "حکومت نے کہا کہ سرحد کھلی ہے"]:
        SuggestionFactory(statement=StatementFactory(text=text))


def benchmark(*args: str) -> str:
    out = StringIO()
    call_command("benchmark", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_analyst_part_times_search_and_queue_one_at_a_time() -> None:
    _data()
    output = benchmark("--only", "analyst", "--runs", "1")
    assert "search " in output and "queue " in output and "p95" in output
    assert "errors" not in output
    assert not User.objects.filter(username__startswith=ANALYST_PREFIX).exists()


@pytest.mark.django_db(transaction=True)  # the server process reads what the test commits
def test_a_bounded_load_run_serves_every_request_and_removes_its_analysts(roles) -> None:
    _data()
    sessions_before = Session.objects.count()

    output = benchmark("--load", "--analysts", "2", "--seconds", "2", "--workers", "1")

    assert "2 analysts" in output and "requests/s, 0 errors" in output
    assert "search and queue" in output and "gunicorn workers' CPU" in output
    assert not User.objects.filter(username__startswith=ANALYST_PREFIX).exists()
    assert Session.objects.count() == sessions_before


@pytest.mark.django_db
def test_load_options_are_bounded() -> None:
    with pytest.raises(CommandError, match="--analysts"):
        benchmark("--load", "--analysts", "1000")
    with pytest.raises(CommandError, match="--seconds"):
        benchmark("--load", "--seconds", "0")


@pytest.mark.django_db
def test_without_the_analyst_role_it_says_to_migrate() -> None:
    Group.objects.filter(name="Analyst").delete()
    with pytest.raises(CommandError, match="no Analyst role"):
        benchmark("--only", "analyst", "--runs", "1")
