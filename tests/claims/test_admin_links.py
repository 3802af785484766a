"""A link added in the admin, on any of its pages, names the analyst who confirmed it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from claims.models import ClaimLink, Stance
from tests.claims.test_admin_claims import inline_forms
from tests.factories import ClaimFactory, StatementFactory

pytestmark = pytest.mark.django_db


def assert_made_by_hand(client, url: str, data: dict, user: User) -> None:
    """Post an admin form that adds one link; the link is `user`'s, by hand."""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    link = ClaimLink.objects.get()
    assert (link.confirmed_by, link.origin) == (user, ClaimLink.Origin.MANUAL)
    assert link.history.get().history_user == user


def test_a_link_added_on_the_claim_page_names_its_analyst(member, client) -> None:
    analyst = member("Analyst")
    claim, statement = ClaimFactory(), StatementFactory()
    assert_made_by_hand(
        client,
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {
            "text": claim.text,
            "language": claim.language,
            "gloss_en": "",
            "status": claim.status,
            "external_id": "",
            "first_seen_at_0": "2026-11-01",
            "first_seen_at_1": "10:00:00",
            **inline_forms("variants", []),
            **inline_forms("links", [{"statement": statement.pk, "stance": Stance.DENIES}]),
        },
        analyst,
    )
    assert ClaimLink.objects.filter(claim=claim, statement=statement).exists()


def test_a_link_added_on_the_statement_page_names_its_editor(admin_client) -> None:
    # Statements are changed by administrators only; the analyst roles cannot post this page.
    statement, claim = StatementFactory(), ClaimFactory()
    unchanged = ["speaker_role", "text", "start", "end", "language", "kind", "cue", "cue_stance"]
    assert_made_by_hand(
        admin_client,
        reverse("admin:claims_statement_change", args=[statement.pk]),
        {
            **{name: getattr(statement, name) for name in unchanged},
            "article": statement.article_id,
            "speaker": statement.speaker_id,
            "said_on": "",
            **inline_forms("links", [{"claim": claim.pk, "stance": Stance.ASSERTS}]),
        },
        User.objects.get(username="admin"),
    )
    assert ClaimLink.objects.filter(claim=claim, statement=statement).exists()


def test_a_link_added_on_its_own_page_names_its_analyst(member, client) -> None:
    analyst = member("Analyst")
    statement, claim = StatementFactory(), ClaimFactory()
    assert_made_by_hand(
        client,
        reverse("admin:claims_claimlink_add"),
        {"statement": statement.pk, "claim": claim.pk, "stance": Stance.QUESTIONS, "note": ""},
        analyst,
    )
