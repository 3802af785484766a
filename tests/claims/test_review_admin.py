"""The review queue and review page in the admin, for each role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimLink, Stance, Statement, Suggestion
from claims.services.matching import statement_link
from tests.factories import StatementFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:claims_suggestion_changelist")


@pytest.fixture
def seed_suggestion(seeded) -> Suggestion:
    """A suggestion like the matcher makes: the rumours statement for the territory claim."""
    statement = Statement.objects.get(text__contains="بالکل جھوٹ")
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    ClaimLink.objects.filter(statement=statement, claim=claim).delete()
    start = statement.text.index("دعوے")
    return SuggestionFactory(
        statement=statement,
        claim=claim,
        score=0.82,
        suggested_stance=Stance.DENIES,
        evidence={"matched": [{"word": "دعوے", "start": start, "end": start + 4}]},
    )


def _review(pk: int) -> str:
    return reverse("admin:claims_suggestion_review", args=[pk])


def test_the_queue_shows_pending_suggestions_with_speaker_outlet_and_claim(
    member, client, seed_suggestion
) -> None:
    SuggestionFactory(status="rejected", reviewed_at="2026-01-01T00:00Z")
    member("Analyst")
    page = client.get(QUEUE).content.decode()
    assert "Shahin Mustafayev" in page and "Mehr News Agency" in page
    assert "Azerbaijan allowed its territory" in page
    assert page.count('/review/"') == 1  # the decided one is not in the queue


def test_the_review_page_shows_context_highlights_and_variants(member, client, seed_suggestion):
    member("Analyst")
    page = client.get(_review(seed_suggestion.pk)).content.decode()
    assert "<mark>دعوے</mark>" in page
    assert "نائب وزیر اعظم نے 12 روزہ" in page  # the surrounding paragraph
    assert 'dir="auto" lang="ur"' in page
    assert "آذربائیجان نے ایران پر حملے" in page  # the Urdu variant
    assert 'name="accept"' in page and 'name="reject"' in page


def test_an_analyst_accepts_with_an_edited_stance_and_goes_to_the_next(
    member, client, seed_suggestion
):
    following = SuggestionFactory()
    member("Analyst")
    response = client.post(
        _review(seed_suggestion.pk), {"decision": "accept", "stance": "questions"}
    )
    assert response.url == _review(following.pk)
    link = ClaimLink.objects.get(suggestion=seed_suggestion)
    assert link.stance == "questions"


def test_an_analyst_rejects_with_a_reason(member, client, seed_suggestion) -> None:
    member("Analyst")
    client.post(_review(seed_suggestion.pk), {"decision": "reject", "reason": "about rumours only"})
    seed_suggestion.refresh_from_db()
    assert (seed_suggestion.status, seed_suggestion.reject_reason) == (
        "rejected",
        "about rumours only",
    )


def test_the_second_analyst_to_decide_is_told_who_was_first(member, client, seed_suggestion):
    user = member("Analyst")
    client.post(_review(seed_suggestion.pk), {"decision": "reject"})
    response = client.post(_review(seed_suggestion.pk), {"decision": "accept"}, follow=True)
    assert f"was already rejected by {user.username}" in response.content.decode()
    assert not ClaimLink.objects.filter(suggestion=seed_suggestion).exists()


@pytest.mark.parametrize("role", ["Editor", "Viewer"])
def test_other_roles_see_the_queue_but_cannot_decide(member, client, seed_suggestion, role):
    member(role)
    page = client.get(_review(seed_suggestion.pk)).content.decode()
    assert 'name="accept"' not in page
    assert client.post(_review(seed_suggestion.pk), {"decision": "accept"}).status_code == 403
    queue = client.get(QUEUE).content.decode()
    assert "accept_selected" not in queue
    seed_suggestion.refresh_from_db()
    assert seed_suggestion.status == "pending"


def test_bulk_accept_reports_its_counts(member, client) -> None:
    suggestions = SuggestionFactory.create_batch(3)
    member("Analyst")
    response = client.post(
        QUEUE,
        {"action": "accept_selected", "_selected_action": [s.pk for s in suggestions]},
        follow=True,
    )
    assert "3 suggestions accepted." in response.content.decode()
    assert ClaimLink.objects.count() == 3


def test_roles_edit_what_they_own_and_nothing_else(member, client, seeded) -> None:
    claim = Claim.objects.first()
    claim_page = reverse("admin:claims_claim_change", args=[claim.pk])
    source_add = reverse("admin:sources_source_add")
    member("Analyst")
    assert 'name="_save"' in client.get(claim_page).content.decode()
    assert client.get(source_add).status_code == 403
    client.logout()
    member("Editor")
    assert client.get(source_add).status_code == 200
    assert 'name="_save"' not in client.get(claim_page).content.decode()
    client.logout()
    member("Viewer")
    assert client.get(claim_page).status_code == 200
    assert 'name="_save"' not in client.get(claim_page).content.decode()
    assert client.get(source_add).status_code == 403


def test_a_claims_page_shows_its_timeline_and_weekly_chart(admin_client, seeded) -> None:
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    page = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert '<svg class="stance-chart"' in page
    assert "2 denies" in page  # the two denials fall in one week
    assert page.index("آذربائیجان ہمیشہ ہمسایہ") < page.index("اس سلسلے میں اٹھائے گئے")


def test_claim_changes_are_in_its_history(admin_client, seeded) -> None:
    claim = Claim.objects.first()
    admin_client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {
            "text": claim.text,
            "language": claim.language,
            "gloss_en": "",
            "status": "false",
            "external_id": claim.external_id or "",
            "first_seen_at_0": "2025-07-20",
            "first_seen_at_1": "10:00:00",
            **_empty_inlines(claim),
        },
    )
    history = admin_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    assert history.status_code == 200
    assert claim.history.latest().history_user.username == "admin"
    assert claim.history.latest().status == "false"


def _empty_inlines(claim: Claim) -> dict:
    data = {}
    for prefix, rows in (("variants", claim.variants.all()), ("links", claim.links.all())):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(rows)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for n, row in enumerate(rows):
            data[f"{prefix}-{n}-id"] = str(row.pk)
            data[f"{prefix}-{n}-claim"] = str(claim.pk)
            if prefix == "variants":
                data.update(
                    {f"{prefix}-{n}-language": row.language, f"{prefix}-{n}-text": row.text}
                )
            else:
                data.update(
                    {
                        f"{prefix}-{n}-statement": str(row.statement_id),
                        f"{prefix}-{n}-stance": row.stance,
                    }
                )
    return data


def test_the_queue_costs_the_same_queries_for_ten_thousand_suggestions(admin_client) -> None:
    SuggestionFactory.create_batch(5)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(QUEUE).status_code == 200
    first = Suggestion.objects.first()
    Suggestion.objects.bulk_create(
        Suggestion(
            statement=first.statement,
            claim=Claim.objects.create(text=f"claim {n}"),
            score=0.5,
            method="bulk",
            suggested_stance=Stance.MENTIONS,
        )
        for n in range(10_000)
    )
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(QUEUE).status_code == 200
    assert len(many) == len(few)


def test_the_review_page_shows_the_reporting_verb_that_decided_the_stance(
    member, client, seeded
) -> None:
    statement = StatementFactory(
        text="جمهوری آذربایجان اجازه داد از خاکش برای حمله به ایران استفاده شود",
        language="fa",
        prefix="وزیر خارجه تکذیب کرد که ",
        cue="تکذیب کرد",
        cue_stance=Stance.DENIES,
    )
    ClaimLink.objects.all().delete()
    statement_link(statement_id=statement.pk)
    suggestion = Suggestion.objects.get(
        statement=statement, claim__external_id="seed-azerbaijan-territory-attack-iran"
    )
    member("Analyst")

    page = client.get(_review(suggestion.pk)).content.decode()

    assert 'id="suggested-stance">Denies<' in page
    verb = 'Reporting verb: <bdi lang="fa">تکذیب کرد</bdi> → denies'
    assert f'<span id="reporting-verb">{verb}</span>' in page  # beside the suggested stance
    assert f"<li>{verb}</li>" in page  # and in the evidence list


def _shown(client, **params) -> set[int]:
    page = client.get(QUEUE, {"status": "all", **params})
    return {row.pk for row in page.context["cl"].result_list}


def test_the_queue_filters_by_score_band(admin_client) -> None:
    low, medium, edge, high = (SuggestionFactory(score=s) for s in (0.3, 0.5, 0.75, 0.9))
    assert _shown(admin_client, score_band="high") == {edge.pk, high.pk}
    assert _shown(admin_client, score_band="medium") == {medium.pk}
    assert _shown(admin_client, score_band="low") == {low.pk}
    assert len(_shown(admin_client, score_band="unknown")) == 4


def test_the_queue_filters_by_age(admin_client) -> None:
    new, days, weeks = SuggestionFactory.create_batch(3)
    now = timezone.now()
    Suggestion.objects.filter(pk=days.pk).update(created_at=now - timedelta(days=3))
    Suggestion.objects.filter(pk=weeks.pk).update(created_at=now - timedelta(days=30))
    assert _shown(admin_client, age="day") == {new.pk}
    assert _shown(admin_client, age="week") == {days.pk}
    assert _shown(admin_client, age="older") == {weeks.pk}


def test_an_unknown_suggestion_is_not_found(admin_client) -> None:
    assert admin_client.get(_review(404)).status_code == 404
    assert admin_client.post(_review(404), {"decision": "skip"}).status_code == 404
