"""The review queue's claim and outlet boxes, its search box, and what a user who may not
view claims can do with it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from claims.models import Claim, ClaimVariant, Stance, Suggestion
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    SourceFactory,
    StatementFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:claims_suggestion_changelist")


def _shown(client, **params) -> set[int]:
    page = client.get(QUEUE, params)
    assert page.status_code == 200
    return {row.pk for row in page.context["cl"].result_list}


def _sidebar(html: str) -> str:
    return re.search(r'<nav id="changelist-filter".*?</nav>', html, re.S).group(0)


def user_with(*codenames: str) -> User:
    user = User.objects.create_user(f"u{User.objects.count()}", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def two_claims():
    gas = SuggestionFactory(claim=ClaimFactory(text="Gas prices will double next winter"))
    attack = SuggestionFactory(claim=ClaimFactory(text="Azerbaijan allowed the attack"))
    return gas, attack


def test_the_claim_box_filters_the_queue_by_words_of_the_claim(member, client, two_claims):
    gas, attack = two_claims
    member("Analyst")
    assert _shown(client, claim__q="gas prices") == {gas.pk}
    assert _shown(client, claim__q="ALLOWED") == {attack.pk}
    assert _shown(client, claim__q="nothing like it") == set()


def test_the_claim_box_finds_a_claim_by_a_variant_in_another_language(member, client, two_claims):
    _gas, attack = two_claims
    ClaimVariant.objects.create(
        claim=attack.claim, language="ur", text="آذربائیجان نے حملے کی اجازت دی"
    )
    member("Analyst")
    assert _shown(client, claim__q="آذربایجان") == {attack.pk}  # Persian spelling


def test_a_chosen_claim_is_shown_in_the_box_and_filters_by_its_id(member, client, two_claims):
    gas, _attack = two_claims
    member("Analyst")
    html = client.get(QUEUE, {"claim__id__exact": gas.claim_id}).content.decode()
    label = f"Gas prices will double next winter · #{gas.claim_id}"
    assert f'value="{label}"' in html
    assert f'name="claim__id__exact" id="id_claim__id__exact" value="{gas.claim_id}"' in html
    assert _shown(client, claim__id__exact=gas.claim_id) == {gas.pk}
    # The label as the box sends it back keeps the choice.
    assert _shown(client, claim__id__exact=gas.claim_id, claim__q=label) == {gas.pk}


def test_words_typed_over_a_chosen_claim_replace_it(member, client, two_claims):
    gas, attack = two_claims
    member("Analyst")
    assert _shown(client, claim__id__exact=gas.claim_id, claim__q="attack") == {attack.pk}


def test_a_claim_id_that_is_no_number_is_refused_with_the_admins_error_page(member, client):
    member("Analyst")
    response = client.get(QUEUE, {"claim__id__exact": "x1"})
    assert response.status_code == 302 and "e=1" in response["Location"]


def test_the_queue_page_does_not_grow_with_the_number_of_claims(member, client) -> None:
    first = SuggestionFactory()
    member("Analyst")
    few = _sidebar(client.get(QUEUE).content.decode())
    statement = first.statement
    claims = Claim.objects.bulk_create(Claim(text=f"claim number {n}") for n in range(300))
    Suggestion.objects.bulk_create(
        Suggestion(statement=statement, claim=claim, score=0.5, method="test") for claim in claims
    )
    many = _sidebar(client.get(QUEUE).content.decode())
    assert "claim__id__exact=" not in many  # no link per claim
    assert len(many) == len(few)
    assert "claim number 1" not in many


def test_the_outlet_box_filters_by_outlet_name_and_by_the_chosen_outlet(member, client) -> None:
    mehr = SourceFactory(name="Mehr News Agency", domain="mehrnews.com")
    apa = SourceFactory(name="APA", domain="apa.az")
    from_mehr = SuggestionFactory(statement=StatementFactory(article=ArticleFactory(source=mehr)))
    from_apa = SuggestionFactory(statement=StatementFactory(article=ArticleFactory(source=apa)))
    member("Analyst")
    assert _shown(client, outlet__q="mehr") == {from_mehr.pk}
    assert _shown(client, outlet__q="apa.az") == {from_apa.pk}
    assert _shown(client, statement__article__source__id__exact=apa.pk) == {from_apa.pk}
    html = client.get(QUEUE, {"statement__article__source__id__exact": apa.pk}).content.decode()
    assert f'value="APA · #{apa.pk}"' in html


def test_the_language_filter_lists_the_followed_languages(member, client) -> None:
    urdu = SuggestionFactory(statement=StatementFactory(language="ur"))
    SuggestionFactory(statement=StatementFactory(language="en"))
    member("Analyst")
    html = client.get(QUEUE).content.decode()
    assert "statement__language__exact=fa" in html  # offered with no Persian statement at all
    assert _shown(client, statement__language__exact="ur") == {urdu.pk}


def test_the_search_box_finds_statement_words_and_claim_external_ids(member, client) -> None:
    pipeline = SuggestionFactory(statement=StatementFactory(text="the pipeline will open soon"))
    external = SuggestionFactory(claim=ClaimFactory(text="Borders close", external_id="cf-22"))
    member("Analyst")
    assert _shown(client, q="pipeline") == {pipeline.pk}
    assert _shown(client, q="cf-22") == {external.pk}
    # Claim wording is the claim box's job: the search box does not scan every claim.
    assert _shown(client, q="Borders") == set()


def test_filters_give_the_same_rows_as_before_the_boxes(member, client, two_claims) -> None:
    gas, attack = two_claims
    high = SuggestionFactory(score=0.9, suggested_stance=Stance.DENIES)
    member("Analyst")
    assert _shown(client) == {gas.pk, attack.pk, high.pk}
    assert _shown(client, score_band="high") == {high.pk}
    assert _shown(client, suggested_stance__exact="denies") == {high.pk}


def test_claim_filters_are_ignored_for_a_user_who_may_not_view_claims(client, two_claims) -> None:
    gas, attack = two_claims
    client.force_login(user_with("view_suggestion", "view_statement"))
    both = {gas.pk, attack.pk}
    assert _shown(client, claim__id__exact=gas.claim_id) == both
    assert _shown(client, claim__q="gas") == both
    assert _shown(client, claim__text__icontains="gas") == both
    assert _shown(client, suggested_stance__exact="denies") == both
    html = client.get(QUEUE, {"claim__id__exact": gas.claim_id}).content.decode()
    assert "Gas prices" not in html and "By claim" not in html


def test_the_review_page_hides_the_claim_from_a_user_who_may_not_view_claims(
    client, two_claims
) -> None:
    gas, _attack = two_claims
    user = user_with("view_suggestion", "view_statement", "review_suggestion")
    client.force_login(user)
    url = reverse("admin:claims_suggestion_review", args=[gas.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert gas.statement.text in html
    assert "Gas prices" not in html
    assert 'id="suggested-stance"' not in html and 'name="accept"' not in html
    assert "You may not view claims" in html
    assert client.post(url, {"decision": "accept"}).status_code == 403
    gas.refresh_from_db()
    assert gas.status == Suggestion.Status.PENDING


def test_the_review_page_shows_the_claim_to_a_user_who_may_view_claims(client, two_claims):
    gas, _attack = two_claims
    client.force_login(user_with("view_suggestion", "view_statement", "view_claim"))
    html = client.get(reverse("admin:claims_suggestion_review", args=[gas.pk])).content.decode()
    assert "Gas prices will double next winter" in html
    assert 'id="suggested-stance"' in html
    # Confirmed statements of the claim also need view claim link.
    assert "Most recent confirmed statements" not in html
