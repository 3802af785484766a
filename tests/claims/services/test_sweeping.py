"""The sweepers queue again the rows whose work stayed pending, once per stale period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimVariant, MatchingStatus, Statement
from claims.services import queueing
from claims.services.claims import claim_variant_save
from claims.services.sweeping import claims_requeue_unsearched, statements_requeue_unmatched
from tests.factories import ClaimFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, list[int]]]:
    """The rows the sweepers hand to queueing (no broker needed)."""
    calls: list[tuple[str, list[int]]] = []

    def recorder(name: str):
        def queue(ids) -> int:
            ids = list(ids)
            if ids:
                calls.append((name, ids))
            return len(ids)

        return queue

    for name in ("statements_link_queue", "claims_search_queue"):
        monkeypatch.setattr(queueing, name, recorder(name))
    return calls


def _age(model, pk: int, seconds: int) -> None:
    model.objects.filter(pk=pk).update(
        matching_status_changed_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_new_statements_and_claims_start_pending() -> None:
    statement = StatementFactory()
    claim = ClaimFactory()
    Statement.objects.bulk_create(
        [
            Statement(
                article=statement.article,
                speaker=statement.speaker,
                text="The",
                start=0,
                end=3,
                language="en",
            )
        ]
    )

    assert set(Statement.objects.values_list("matching_status", flat=True)) == {"pending"}
    assert Claim.objects.get(pk=claim.pk).matching_status == MatchingStatus.PENDING


@pytest.fixture
def stale_statement(settings) -> Statement:
    """A statement pending for a second longer than the stale threshold."""
    settings.STALE_AFTER_SECONDS = 300
    statement = StatementFactory()
    _age(Statement, statement.pk, 301)
    return statement


def test_it_requeues_a_statement_left_pending_longer_than_the_threshold(
    stale_statement, queued
) -> None:
    assert statements_requeue_unmatched() == 1
    assert queued == [("statements_link_queue", [stale_statement.pk])]


def test_it_does_not_requeue_a_statement_stamped_within_the_period(stale_statement, queued) -> None:
    statement = stale_statement
    statements_requeue_unmatched()

    # Stamped by that sweep: the next sweeps of the same period leave it alone.
    assert statements_requeue_unmatched() == 0
    _age(Statement, statement.pk, 299)
    assert statements_requeue_unmatched() == 0
    assert queued == [("statements_link_queue", [statement.pk])]


def test_it_leaves_a_matched_statement_alone(settings, queued) -> None:
    settings.STALE_AFTER_SECONDS = 0
    statement = StatementFactory()
    Statement.objects.filter(pk=statement.pk).update(matching_status=MatchingStatus.DONE)
    _age(Statement, statement.pk, 3600)

    assert statements_requeue_unmatched() == 0


def test_it_requeues_a_claim_whose_search_stayed_pending(settings, queued) -> None:
    settings.STALE_AFTER_SECONDS = 300
    pending = ClaimFactory()
    done = ClaimFactory()
    Claim.objects.filter(pk=done.pk).update(matching_status=MatchingStatus.DONE)
    _age(Claim, pending.pk, 301)
    _age(Claim, done.pk, 301)

    assert claims_requeue_unsearched() == 1
    assert claims_requeue_unsearched() == 0
    assert queued == [("claims_search_queue", [pending.pk])]


def test_a_new_variant_marks_its_claim_pending_again() -> None:
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(matching_status=MatchingStatus.DONE)

    claim_variant_save(variant=ClaimVariant(claim=claim, language="de", text="Eine Behauptung"))

    assert Claim.objects.get(pk=claim.pk).matching_status == MatchingStatus.PENDING
