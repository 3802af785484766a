"""Celery tasks: each runs twice without harm; the hand-offs reach a real worker."""

from __future__ import annotations

import pytest
from django.db import transaction

from claims.models import Claim, ClaimVariant, Suggestion
from claims.services.claims import claim_save, claim_variant_save
from claims.services.queueing import statements_link_queue
from claims.tasks import claim_link_recent_task, statement_link_task
from tests.factories import ClaimFactory, StatementFactory
from tests.workers import wait_until

BRIDGE = "The harbour bridge will close for repairs in spring"
REPORT = "The harbour bridge will close for repairs this spring, the mayor said"


@pytest.mark.django_db
def test_the_link_task_run_twice_suggests_once() -> None:
    claim = ClaimFactory(text=BRIDGE)
    statement = StatementFactory(text=REPORT)

    statement_link_task.apply(args=[statement.pk]).get()
    statement_link_task.apply(args=[statement.pk]).get()

    assert list(Suggestion.objects.values_list("statement_id", "claim_id")) == [
        (statement.pk, claim.pk)
    ]


@pytest.mark.django_db
def test_the_recent_search_task_run_twice_suggests_once() -> None:
    statement = StatementFactory(text=REPORT)
    claim = ClaimFactory(text=BRIDGE)

    claim_link_recent_task.apply(args=[claim.pk]).get()
    claim_link_recent_task.apply(args=[claim.pk]).get()

    assert Suggestion.objects.filter(statement=statement, claim=claim).count() == 1


@pytest.mark.django_db
def test_the_recent_search_skips_statements_older_than_the_window(settings) -> None:
    settings.MATCH_RECENT_DAYS = 7
    statement = StatementFactory(text=REPORT, created_at="2020-01-01T00:00Z")
    claim = ClaimFactory(text=BRIDGE)

    claim_link_recent_task.apply(args=[claim.pk]).get()

    assert not Suggestion.objects.filter(statement=statement).exists()


def test_new_statements_are_linked_by_the_worker_after_commit(celery_worker) -> None:
    claim = ClaimFactory(text=BRIDGE)
    with transaction.atomic():
        statement = StatementFactory(text=REPORT)
        statements_link_queue([statement.pk])

    wait_until(lambda: Suggestion.objects.filter(statement=statement, claim=claim).exists())


def test_a_new_claim_and_variant_are_searched_for_by_the_worker(celery_worker) -> None:
    english = StatementFactory(text=REPORT)
    german = StatementFactory(
        text="Die Hafenbrücke wird im Frühling wegen Reparaturen gesperrt", language="de"
    )

    claim = claim_save(claim=Claim(text=BRIDGE, language="en"))
    wait_until(lambda: Suggestion.objects.filter(statement=english, claim=claim).exists())

    claim_variant_save(
        variant=ClaimVariant(
            claim=claim, language="de", text="Die Hafenbrücke wird im Frühling gesperrt"
        )
    )
    wait_until(lambda: Suggestion.objects.filter(statement=german, claim=claim).exists())
