"""The recent-statement search: candidates from the full-text index, owed claims in batches."""

from __future__ import annotations

import pytest

from claims.models import Claim, MatchingStatus, Suggestion
from claims.services.matching_rescan import claim_link_recent
from tests.factories import ClaimFactory, StatementFactory

CLAIMS = {
    "The harbour bridge will close for repairs in spring": (
        "The harbour bridge will close for repairs this spring, the mayor said"
    ),
    "The night ferry to the islands returns after twelve years": (
        "After twelve years the night ferry to the islands returns, officials said"
    ),
    "Tram fares double next month across the city": (
        "Tram fares across the city double next month, the operator confirmed"
    ),
}


@pytest.mark.django_db
def test_one_search_covers_every_claim_whose_search_is_owed() -> None:
    statements = {text: StatementFactory(text=said) for text, said in CLAIMS.items()}
    claims = [ClaimFactory(text=text) for text in CLAIMS]

    found = claim_link_recent(claim_id=claims[0].pk)

    assert {(s.statement_id, s.claim_id) for s in found} == {
        (statements[claim.text].pk, claim.pk) for claim in claims
    }
    assert set(Claim.objects.values_list("matching_status", flat=True)) == {MatchingStatus.DONE}
    # The other claims' own messages find their search done.
    assert claim_link_recent(claim_id=claims[1].pk) == []
    assert Suggestion.objects.count() == len(claims)


@pytest.mark.django_db
def test_a_statement_sharing_only_common_words_with_a_claim_is_not_suggested() -> None:
    StatementFactory(text="The city said the month was a busy one")
    claim = ClaimFactory(text="Tram fares double next month across the city")

    assert claim_link_recent(claim_id=claim.pk) == []
    assert Claim.objects.get(pk=claim.pk).matching_status == MatchingStatus.DONE
