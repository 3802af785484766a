"""Queueing by name: every name product code queues is a task the worker knows."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask

from claims.services import queueing
from config.celery import app

QUEUED_NAMES = [
    queueing.EXTRACT_ARTICLE,
    queueing.REEXTRACT_ARTICLE,
    queueing.LINK_STATEMENT,
    queueing.SEARCH_FOR_CLAIM,
]


def test_every_name_services_queue_is_a_registered_task() -> None:
    app.loader.import_default_modules()
    assert set(QUEUED_NAMES) <= set(app.tasks)


def test_feed_polling_is_registered_under_sources() -> None:
    app.loader.import_default_modules()
    assert {"sources.tasks.poll_feed", "sources.tasks.poll_feeds"} <= set(app.tasks)


@pytest.mark.django_db
def test_every_beat_schedule_names_a_registered_task() -> None:
    app.loader.import_default_modules()
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"sources.tasks.poll_feeds", "claims.tasks.sweep_stale_articles"} <= scheduled
    assert scheduled <= set(app.tasks)
