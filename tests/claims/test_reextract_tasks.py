"""Re-extraction on a real Celery worker process, the real broker and the real database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import ArticleExtraction, Statement
from claims.tasks import reextract_article
from tests.claims.reextraction_story import DENIAL, TALKS, story
from tests.workers import wait_until

pytestmark = pytest.mark.usefixtures("celery_worker_process")


def _runs(article_id: int) -> int:
    return ArticleExtraction.objects.get(article_id=article_id).runs


def test_the_task_delivered_twice_changes_the_article_once() -> None:
    karimi = story()
    karimi.register_ali()
    before = set(Statement.objects.values_list("pk", flat=True))
    reextract_article.delay(karimi.article.pk)
    reextract_article.delay(karimi.article.pk)
    wait_until(lambda: _runs(karimi.article.pk) == 3, what="both deliveries to run")
    assert set(Statement.objects.values_list("pk", flat=True)) == before
    assert Statement.objects.get(text=DENIAL).speaker == karimi.ali
    assert Statement.objects.get(text=TALKS).speaker == karimi.hossein


def test_the_command_queues_one_task_per_article_for_the_workers() -> None:
    stories = [story(), story()]
    stories[0].register_ali()
    out = StringIO()
    call_command("reextract", "--queue", stdout=out)
    assert "2 articles queued for re-extraction" in out.getvalue()
    wait_until(
        lambda: all(_runs(s.article.pk) == 2 for s in stories), what="both articles re-extracted"
    )
    assert Statement.objects.filter(text=DENIAL, speaker=stories[0].ali).count() == 2
