"""The search page finds a rare search's matches first and pages among them: the same rows,
in the same order, as the plain newest-first query, whatever the number of matches."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from claims.models import ClaimLink, Stance
from claims.selectors import statement_list
from claims.views import COUNT_CAP
from tests.factories import ClaimFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client):
    user = User.objects.create_user("searcher", password="pw")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_statement", "view_speaker", "view_claim", "view_claimlink"]
        )
    )
    client.force_login(user)
    return client


def _page(client, **params) -> list[int]:
    response = client.get(reverse("claims:search"), params)
    assert response.status_code == 200
    return [statement.pk for statement in response.context["statements"]]


def _expected(**params) -> list[int]:
    filters = {k: v for k, v in params.items() if k != "page"}
    page = int(params.get("page", 1))
    rows = statement_list(filters=filters).values_list("pk", flat=True)
    return list(rows[(page - 1) * 25 : page * 25])


def test_a_rare_search_pages_through_the_same_rows_in_the_same_order(analyst_client):
    claim = ClaimFactory()
    for n in range(40):
        statement = StatementFactory(
            text=f"the pipeline opened {n}",
            said_on=None if n % 7 == 0 else datetime.date(2026, 1, 1 + n % 20),
        )
        if n % 3 == 0:
            ClaimLink.objects.create(statement=statement, claim=claim, stance=Stance.DENIES)
    for n in range(5):
        StatementFactory(text=f"nothing to see {n}")
    for params in [
        {"q": "pipeline"},
        {"q": "pipeline", "page": "2"},
        {"q": '"pipeline opened"'},
        {"q": "pipeline", "stance": "denies"},
        {"claim": str(claim.pk)},
        {"q": "pipeline", "order": "oldest"},
    ]:
        assert _page(analyst_client, **params) == _expected(**params), params
    response = analyst_client.get(reverse("claims:search"), {"q": "pipeline"})
    assert response.context["total"] == 40 and not response.context["total_capped"]


def test_a_common_search_still_says_more_than_the_cap(analyst_client):
    for n in range(COUNT_CAP + 1):
        StatementFactory(text=f"the border is open {n}")
    response = analyst_client.get(reverse("claims:search"), {"q": "border"})
    assert response.context["total_capped"]
    assert _page(analyst_client, q="border") == _expected(q="border")
