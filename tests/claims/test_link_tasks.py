"""Celery tasks: each runs twice without harm; the hand-offs reach a real worker."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import transaction

from claims.models import Claim, ClaimVariant, MatchingStatus, Statement, Suggestion
from claims.services import matching, matching_rescan, queueing
from claims.services.claims import claim_save, claim_variant_save
from claims.services.matching import statement_link, statement_link_pending
from claims.services.queueing import statements_link_queue
from claims.services.sweeping import claims_requeue_unsearched, statements_requeue_unmatched
from claims.tasks import claim_link_recent_task, statement_link_task
from tests.factories import ClaimFactory, StatementFactory, SuggestionFactory
from tests.workers import concurrently, wait_until

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


def _matching_status(model, pk: int) -> str:
    return model.objects.values_list("matching_status", flat=True).get(pk=pk)


@pytest.mark.django_db
def test_the_link_task_run_twice_ends_with_the_statement_done() -> None:
    ClaimFactory(text=BRIDGE)
    statement = StatementFactory(text=REPORT)
    assert _matching_status(Statement, statement.pk) == MatchingStatus.PENDING

    statement_link_task.apply(args=[statement.pk]).get()
    statement_link_task.apply(args=[statement.pk]).get()

    assert _matching_status(Statement, statement.pk) == MatchingStatus.DONE
    assert Suggestion.objects.filter(statement=statement).count() == 1


@pytest.mark.django_db
def test_the_link_task_leaves_a_statement_already_done_alone() -> None:
    ClaimFactory(text=BRIDGE)
    statement = StatementFactory(text=REPORT)
    Statement.objects.filter(pk=statement.pk).update(matching_status=MatchingStatus.DONE)

    statement_link_task.apply(args=[statement.pk]).get()

    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_link_task_for_a_deleted_statement_does_nothing() -> None:
    statement_link_task.apply(args=[987654]).get()


@pytest.mark.django_db
def test_linking_in_process_matches_a_statement_whatever_its_state() -> None:
    claim = ClaimFactory(text=BRIDGE)
    statement = StatementFactory(text=REPORT)
    Statement.objects.filter(pk=statement.pk).update(matching_status=MatchingStatus.DONE)

    result = statement_link(statement_id=statement.pk)

    assert [m.claim_id for m in result.matches] == [claim.pk]
    assert Suggestion.objects.filter(statement=statement, claim=claim).count() == 1


@pytest.mark.django_db
def test_a_statement_whose_matching_raised_stays_pending_with_nothing_stored(
    monkeypatch,
) -> None:
    ClaimFactory(text=BRIDGE)
    statement = StatementFactory(text=REPORT)

    def fail(*args, **kwargs):
        raise RuntimeError("matcher bug")

    monkeypatch.setattr(matching, "_evidence", fail)
    with pytest.raises(RuntimeError):
        statement_link_task.apply(args=[statement.pk]).get()

    assert _matching_status(Statement, statement.pk) == MatchingStatus.PENDING
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_recent_search_task_run_twice_ends_with_the_claim_done() -> None:
    statement = StatementFactory(text=REPORT)
    claim = ClaimFactory(text=BRIDGE)

    claim_link_recent_task.apply(args=[claim.pk]).get()
    Suggestion.objects.filter(statement=statement).delete()
    claim_link_recent_task.apply(args=[claim.pk]).get()

    assert _matching_status(Claim, claim.pk) == MatchingStatus.DONE
    # The second delivery found the search done and did not search again.
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_a_variant_added_during_a_search_keeps_its_claim_pending(monkeypatch) -> None:
    claim = ClaimFactory(text=BRIDGE)
    StatementFactory(text=REPORT)
    search = matching_rescan._recent_statements_search

    def search_while_a_variant_arrives(claim_ids: list[int]):
        found = search(claim_ids)
        queueing.claim_search_queue(claim_id=claim_ids[0])  # what claim_variant_save does
        return found

    monkeypatch.setattr(
        matching_rescan, "_recent_statements_search", search_while_a_variant_arrives
    )
    claim_link_recent_task.apply(args=[claim.pk]).get()

    assert _matching_status(Claim, claim.pk) == MatchingStatus.PENDING


def _sweep_everything_now(settings) -> None:
    settings.STALE_AFTER_SECONDS = 0
    statements_requeue_unmatched()
    claims_requeue_unsearched()


def test_a_statement_whose_matching_failed_is_matched_after_the_sweep(
    celery_worker_process, settings, monkeypatch
) -> None:
    claim = ClaimFactory(text=BRIDGE)
    statement = StatementFactory(text=REPORT)
    with monkeypatch.context() as patch:
        patch.setattr(matching, "statement_match", lambda **kwargs: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            statement_link_task.apply(args=[statement.pk]).get()

    _sweep_everything_now(settings)

    wait_until(lambda: _matching_status(Statement, statement.pk) == MatchingStatus.DONE)
    assert list(Suggestion.objects.values_list("statement_id", "claim_id")) == [
        (statement.pk, claim.pk)
    ]


def test_a_claim_whose_search_message_was_lost_is_searched_after_the_sweep(
    celery_worker_process, settings
) -> None:
    statement = StatementFactory(text=REPORT)
    Statement.objects.filter(pk=statement.pk).update(matching_status=MatchingStatus.DONE)
    claim = Claim.objects.create(text=BRIDGE, language="en")  # no message was ever sent

    _sweep_everything_now(settings)

    wait_until(lambda: _matching_status(Claim, claim.pk) == MatchingStatus.DONE)
    assert Suggestion.objects.filter(statement=statement, claim=claim).count() == 1


def test_a_pair_stored_meanwhile_by_a_claim_search_costs_the_statement_none_of_its_others(
    transactional_db,
) -> None:
    bridge = ClaimFactory(text=BRIDGE)
    repairs = ClaimFactory(text="Repairs will close the harbour bridge")
    statement = StatementFactory(text=REPORT)
    stored = threading.Event()

    def search_storing_one_pair() -> None:
        with transaction.atomic():
            SuggestionFactory(statement=statement, claim=bridge)
            stored.set()
            time.sleep(1)  # the link below reaches its insert and waits for this commit

    def link() -> None:
        stored.wait(10)
        statement_link_pending(statement_id=statement.pk)

    concurrently(search_storing_one_pair, link)

    assert set(Suggestion.objects.values_list("claim_id", flat=True)) == {bridge.pk, repairs.pk}
    assert _matching_status(Statement, statement.pk) == MatchingStatus.DONE
