"""Every page carries the Content-Security-Policy, and nothing on a page needs more than it allows:
no inline script or style without the request's nonce (or a hash the policy lists), no style
or event attribute, no javascript: link. The browser tests check the same in Chromium."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.http import urlencode

from claims.models import Claim, Statement, Suggestion
from tests.config.csp import assert_allowed
from tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def site_pages() -> list[str]:
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    # With a verdict: the page embeds its ClaimReview JSON-LD (a data block, not a script).
    claim.verdict, claim.review_url = "False", "https://desk.example/checks/1"
    claim.save()
    speaker_id = Statement.objects.first().speaker_id
    return [
        reverse("claims:search"),
        f"{reverse('claims:search')}?q=آذربایجان",
        f"{reverse('claims:search')}?{urlencode({'q': 'w ' * 60})}",
        reverse("claims:claims"),
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:speaker", args=[speaker_id]),
        f"{reverse('claims:search')}?page=99",
        reverse("api:docs"),
        f"{reverse('api:docs')}?script=",
        reverse("api:statement-list"),
        reverse("alerts:notifications"),
        reverse("alerts:watches"),
    ]


def admin_pages() -> list[str]:
    suggestion = SuggestionFactory(statement=Statement.objects.first(), claim=Claim.objects.last())
    pages = [
        reverse("admin:index"),
        reverse("admin:claims_suggestion_review", args=[suggestion.pk]),
    ]
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in {"sources", "claims", "api", "alerts"}:
            continue
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        obj = model.objects.first()
        if obj is not None:
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    return pages


def test_every_site_page_and_admin_page_lives_within_the_policy(admin_client, seeded) -> None:
    for url in [*site_pages(), *admin_pages()]:
        response = admin_client.get(url)
        assert response.status_code in {200, 404}, url
        assert_allowed(response)


def test_the_login_page_carries_the_policy(client) -> None:
    assert_allowed(client.get(reverse("admin:login")))


def test_a_csv_download_carries_the_policy_too(admin_client) -> None:
    SuggestionFactory()
    response = admin_client.post(reverse("claims:export_suggestions"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert Suggestion.objects.count() == 1
