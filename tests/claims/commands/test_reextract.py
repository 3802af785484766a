from __future__ import annotations

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.models import Statement
from tests.claims.reextraction_story import DENIAL, story

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("reextract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_reextracts_every_processed_article_and_prints_the_totals() -> None:
    karimi = story()
    karimi.register_ali()
    out, _ = _run()
    assert "1 articles re-extracted: kept=1 updated=1 added=0 removed=0" in out
    assert Statement.objects.get(text=DENIAL).speaker == karimi.ali


def test_a_second_run_reports_no_change() -> None:
    story().register_ali()
    _run()
    out, _ = _run()
    assert "kept=2 updated=0 added=0 removed=0" in out


def test_it_reextracts_only_the_articles_chosen_by_date_language_and_id() -> None:
    july = story(published_at=timezone.make_aware(datetime(2025, 7, 20)), language="en")
    january = story(published_at=timezone.make_aware(datetime(2025, 1, 5)))
    july.register_ali()  # the same alias changes both articles' first statement
    _run("--since", "2025-07-01")
    assert july.article.statements.get(text=DENIAL).speaker == july.ali
    assert january.article.statements.get(text=DENIAL).speaker == january.hossein

    _, err = _run("--article", str(january.article.pk), "999999", "--language", "en")
    assert january.article.statements.get(text=DENIAL).speaker == january.ali
    assert "skipped (missing, pending or a duplicate): 999999" in err


def test_a_language_with_no_articles_reextracts_nothing() -> None:
    story().register_ali()
    out, _ = _run("--language", "ur")
    assert "0 articles re-extracted" in out
    assert Statement.objects.filter(speaker__name="Ali Karimi").count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "20-07-2025"], "--since '20-07-2025' is not a date: use YYYY-MM-DD"),
        (["--since", "2025-02-30"], "--since '2025-02-30' is not a date"),
        (["--language", "Urdu"], "--language 'Urdu' is not a language code"),
    ],
)
def test_it_names_a_bad_option(args, message) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)
