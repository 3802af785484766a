from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from claims.models import ClaimLink, Stance, Suggestion
from claims.services.review import (
    ReviewError,
    next_pending,
    suggestion_accept,
    suggestion_reject,
    suggestions_accept,
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
