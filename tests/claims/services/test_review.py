from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from claims.models import ClaimLink, Stance, Suggestion
from claims.services.review import (
    ReviewError,
    next_pending,
    suggestion_accept,
    suggestion_reject,
    suggestions_accept,
    suggestions_reject,
)
from tests.factories import SuggestionFactory


@pytest.fixture
def analyst(db) -> User:
    return User.objects.create_user("ana")


@pytest.mark.django_db
def test_accepting_links_the_statement_with_the_chosen_stance(analyst) -> None:
    suggestion = SuggestionFactory(suggested_stance=Stance.MENTIONS)
    link = suggestion_accept(suggestion_id=suggestion.pk, user=analyst, stance=Stance.DENIES)
    suggestion.refresh_from_db()
    assert (link.stance, link.origin, link.confirmed_by) == ("denies", "review", analyst)
    assert link.suggestion == suggestion
    assert (suggestion.status, suggestion.reviewed_by) == ("accepted", analyst)


@pytest.mark.django_db
def test_rejecting_keeps_the_reason_and_links_nothing(analyst) -> None:
    suggestion = SuggestionFactory()
    suggestion_reject(suggestion_id=suggestion.pk, user=analyst, reason=" off topic ")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reject_reason) == ("rejected", "off topic")
    assert not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_a_decided_suggestion_cannot_be_decided_again(analyst) -> None:
    suggestion = SuggestionFactory()
    suggestion_reject(suggestion_id=suggestion.pk, user=analyst)
    with pytest.raises(ReviewError, match=r"already rejected by ana at"):
        suggestion_accept(suggestion_id=suggestion.pk, user=analyst)
    assert not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_an_unknown_stance_is_named(analyst) -> None:
    with pytest.raises(ReviewError, match="unknown stance 'refutes'"):
        suggestion_accept(suggestion_id=SuggestionFactory().pk, user=analyst, stance="refutes")


def test_two_analysts_deciding_at_once_record_exactly_one_decision(transactional_db) -> None:
    suggestion = SuggestionFactory()
    users = [User.objects.create_user("first"), User.objects.create_user("second")]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def decide(user: User, accept: bool) -> None:
        start.wait()
        try:
            if accept:
                suggestion_accept(suggestion_id=suggestion.pk, user=user)
            else:
                suggestion_reject(suggestion_id=suggestion.pk, user=user)
            outcomes.append("decided")
        except ReviewError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(users[0], True)),
        threading.Thread(target=decide, args=(users[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("decided") == 1
    assert "was already" in next(o for o in outcomes if o != "decided")
    suggestion.refresh_from_db()
    assert suggestion.status != Suggestion.Status.PENDING
    assert ClaimLink.objects.count() == (1 if suggestion.status == "accepted" else 0)


@pytest.mark.django_db
def test_bulk_accept_counts_what_it_decided_and_skips_the_rest(analyst) -> None:
    pending = SuggestionFactory.create_batch(3)
    decided = SuggestionFactory()
    suggestion_reject(suggestion_id=decided.pk, user=analyst)
    result = suggestions_accept(suggestion_ids=[s.pk for s in [*pending, decided]], user=analyst)
    assert (result.decided, result.skipped) == (3, 1)
    assert ClaimLink.objects.count() == 3


@pytest.mark.django_db
def test_every_decision_is_in_the_audit_trail_with_who_and_when(analyst) -> None:
    suggestion = SuggestionFactory()
    suggestion_accept(suggestion_id=suggestion.pk, user=analyst)
    history = list(suggestion.history.order_by("history_date"))
    assert [h.status for h in history] == ["pending", "accepted"]
    assert history[-1].history_user == analyst
    link = ClaimLink.objects.get()
    assert (link.history.get().history_type, link.history.get().history_user) == ("+", analyst)


@pytest.mark.django_db
def test_skip_goes_to_the_next_suggestion_in_queue_order() -> None:
    older, newer = SuggestionFactory(), SuggestionFactory()
    assert next_pending(after=newer) == older


@pytest.mark.django_db
def test_bulk_accept_writes_a_history_row_per_decision_and_per_link(analyst) -> None:
    suggestions = SuggestionFactory.create_batch(3)

    suggestions_accept(suggestion_ids=[s.pk for s in suggestions], user=analyst)

    for suggestion in suggestions:
        changed = suggestion.history.filter(history_type="~").get()
        assert (changed.status, changed.history_user) == ("accepted", analyst)
        assert changed.history_change_reason == "bulk review"
        link = ClaimLink.objects.get(suggestion=suggestion)
        created = link.history.get()
        assert (created.history_type, created.history_user) == ("+", analyst)
        assert created.history_change_reason == "bulk review"


@pytest.mark.django_db
def test_bulk_reject_writes_a_history_row_per_decision(analyst) -> None:
    suggestions = SuggestionFactory.create_batch(2)

    suggestions_reject(suggestion_ids=[s.pk for s in suggestions], user=analyst, reason="noise")

    for suggestion in suggestions:
        changed = suggestion.history.filter(history_type="~").get()
        assert (changed.status, changed.reject_reason, changed.history_user) == (
            "rejected",
            "noise",
            analyst,
        )


def _wait_for_a_blocked_update() -> None:
    """Return once another connection of this database waits for a row lock."""
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the bulk accept never waited for the rival's row lock")


def test_a_bulk_accept_that_loses_the_race_writes_no_history_for_that_row(
    transactional_db,
) -> None:
    analyst, rival = User.objects.create_user("ana"), User.objects.create_user("rival")
    free = SuggestionFactory.create_batch(2)
    contested = SuggestionFactory()
    locked, release = threading.Event(), threading.Event()
    results = []

    def rival_rejects() -> None:
        # The rival's decision holds the contested row until the bulk accept waits for it.
        try:
            with transaction.atomic():
                suggestion_reject(suggestion_id=contested.pk, user=rival)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def analyst_accepts() -> None:
        try:
            ids = [*(s.pk for s in free), contested.pk]
            results.append(suggestions_accept(suggestion_ids=ids, user=analyst))
        finally:
            connection.close()

    first = threading.Thread(target=rival_rejects)
    first.start()
    assert locked.wait(10)
    second = threading.Thread(target=analyst_accepts)
    second.start()
    _wait_for_a_blocked_update()
    release.set()
    first.join()
    second.join()

    assert (results[0].decided, results[0].skipped) == (2, 1)
    history = contested.history.order_by("history_date", "history_id")
    assert [(h.history_type, h.status, h.history_user) for h in history] == [
        ("+", "pending", None),
        ("~", "rejected", rival),
    ]
    assert not ClaimLink.objects.filter(suggestion=contested).exists()
    for suggestion in free:
        assert suggestion.history.filter(history_type="~").get().history_user == analyst
        assert ClaimLink.objects.get(suggestion=suggestion).history.get().history_user == analyst
