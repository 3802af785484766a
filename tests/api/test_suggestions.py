from __future__ import annotations

import threading

import pytest

from claims.models import ClaimLink, Stance, Suggestion
from tests.factories import ClaimFactory, SuggestionFactory
from tests.workers import concurrently

URL = "/api/v1/suggestions/"


def test_the_queue_lists_pending_suggestions_unless_asked_otherwise(api_as):
    pending = SuggestionFactory()
    decided = SuggestionFactory()
    client = api_as("Analyst")
    client.post(f"{URL}{decided.pk}/reject/", {}, format="json")
    assert [r["id"] for r in client.get(URL).json()["results"]] == [pending.pk]
    rejected = client.get(URL, {"status": "rejected"}).json()["results"]
    assert [r["id"] for r in rejected] == [decided.pk]
    assert rejected[0]["reviewed_by"] == client.user.username


def test_the_queue_filters_by_claim_and_stance(api_as):
    claim = ClaimFactory()
    wanted = SuggestionFactory(claim=claim, suggested_stance=Stance.DENIES)
    SuggestionFactory(claim=claim, suggested_stance=Stance.ASSERTS)
    SuggestionFactory(suggested_stance=Stance.DENIES)
    body = api_as("Viewer").get(URL, {"claim": claim.pk, "suggested_stance": "denies"}).json()
    assert [r["id"] for r in body["results"]] == [wanted.pk]
    assert body["results"][0]["claim"]["id"] == claim.pk


def test_a_user_who_may_not_view_claims_sees_no_claim_in_the_queue(api_as):
    suggestion = SuggestionFactory()
    SuggestionFactory()
    client = api_as(None, "claims.view_suggestion")
    body = client.get(URL, {"claim": suggestion.claim_id}).json()
    assert len(body["results"]) == 2  # the claim filter is ignored for them
    assert all("claim" not in r and "suggested_stance" not in r for r in body["results"])


def test_accept_links_the_statement_with_the_analysts_stance(api_as):
    suggestion = SuggestionFactory(suggested_stance=Stance.MENTIONS)
    client = api_as("Analyst")
    response = client.post(f"{URL}{suggestion.pk}/accept/", {"stance": "denies"}, format="json")
    assert response.status_code == 200
    link = ClaimLink.objects.get(pk=response.json()["link"])
    assert (link.statement_id, link.claim_id, link.stance) == (
        suggestion.statement_id,
        suggestion.claim_id,
        "denies",
    )
    assert link.confirmed_by == client.user


def test_accept_refuses_an_unknown_stance(api_as):
    suggestion = SuggestionFactory()
    response = api_as("Analyst").post(
        f"{URL}{suggestion.pk}/accept/", {"stance": "shrugs"}, format="json"
    )
    assert response.status_code == 400
    assert "stance" in response.json()


def test_deciding_twice_answers_409_naming_who_decided(api_as):
    suggestion = SuggestionFactory()
    first, second = api_as("Analyst"), api_as("Analyst")
    assert first.post(f"{URL}{suggestion.pk}/reject/", {}, format="json").status_code == 200
    response = second.post(f"{URL}{suggestion.pk}/accept/", {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["decided_by"] == first.user.username
    assert body["status"] == "rejected"
    assert first.user.username in body["detail"]
    assert not ClaimLink.objects.exists()


def test_deciding_a_missing_suggestion_is_404(api_as):
    assert api_as("Analyst").post(f"{URL}999999/accept/", {}, format="json").status_code == 404


@pytest.mark.parametrize("second_action", ["accept", "reject"])
def test_of_two_concurrent_decisions_exactly_one_lands(
    transactional_db, roles, api_as, second_action
):
    """Two real requests at once, each in its own thread and database connection (so the
    test's rows are committed, not held in a transaction the threads cannot see)."""
    suggestion = SuggestionFactory()
    clients = [api_as("Analyst"), api_as("Analyst")]
    start = threading.Barrier(2)

    def decide(client, action):
        def call():
            start.wait()
            return client, client.post(f"{URL}{suggestion.pk}/{action}/", {}, format="json")

        return call

    results = concurrently(decide(clients[0], "accept"), decide(clients[1], second_action))
    codes = sorted(response.status_code for _, response in results)
    assert codes == [200, 409]
    winner = next(client for client, response in results if response.status_code == 200)
    loser = next(response for _, response in results if response.status_code == 409)
    assert loser.json()["decided_by"] == winner.user.username
    suggestion.refresh_from_db()
    assert suggestion.reviewed_by == winner.user
    assert ClaimLink.objects.count() == (
        1 if suggestion.status == Suggestion.Status.ACCEPTED else 0
    )
