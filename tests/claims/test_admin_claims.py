"""Claims and variants added in the admin are searched for in recent statements."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimVariant, Stance
from tests.claims.test_selectors import links_around_an_undated_statement
from tests.factories import ClaimFactory, ClaimLinkFactory

pytestmark = pytest.mark.django_db


def inline_forms(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def test_a_claim_added_with_a_variant_queues_the_search(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    data = {
        "text": "The harbour bridge will close in spring",
        "language": "en",
        "status": "unverified",
        "first_seen_at_0": "2026-11-01",
        "first_seen_at_1": "10:00:00",
        **inline_forms("variants", [{"language": "de", "text": "Die Brücke schließt"}]),
        **inline_forms("links", []),
    }

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("admin:claims_claim_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    claim = Claim.objects.get()
    assert claim.variants.get().text == "Die Brücke schließt"
    # One search for the claim, one for its variant: both name the claim.
    assert len(callbacks) == 2


def test_a_variant_added_on_its_own_page_queues_the_search(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("admin:claims_claimvariant_add"),
            {"claim": claim.pk, "language": "fr", "text": "Le pont ferme"},
        )
    assert response.status_code == 302
    assert ClaimVariant.objects.get().claim == claim
    assert len(callbacks) == 1


def test_the_claim_list_counts_each_claims_assertions_and_denials(admin_client) -> None:
    claim = ClaimFactory()
    ClaimLinkFactory.create_batch(2, claim=claim, stance=Stance.ASSERTS)
    ClaimLinkFactory(claim=claim, stance=Stance.DENIES)
    ClaimLinkFactory(claim=claim, stance=Stance.QUESTIONS)
    page = admin_client.get(reverse("admin:claims_claim_changelist"), {"o": "-5"})
    (row,) = page.context["cl"].result_list
    assert (row.asserts_count, row.denies_count) == (2, 1)
    html = page.content.decode()
    assert '<td class="field-asserts_count">2</td><td class="field-denies_count">1</td>' in html


def test_the_claims_timeline_dates_an_undated_statement_by_its_article(admin_client) -> None:
    claim, in_time_order = links_around_an_undated_statement()
    page = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    timeline = page[page.index('<table class="claim-timeline">') :]
    positions = [timeline.index(link.statement.text) for link in in_time_order]
    assert positions == sorted(positions)
