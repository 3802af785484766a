"""The statement changelist at scale: fixed queries, no exact count of a large table."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from claims.models import ClaimLink, Stance, Statement
from claims.paginators import EXACT_COUNT_CAP, EstimatedCountPaginator
from tests.factories import ClaimFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_the_changelist_runs_the_same_queries_for_5_or_40_statements(
    admin_client, django_assert_num_queries
) -> None:
    for _ in range(5):
        StatementFactory()
    url = reverse("admin:claims_statement_changelist")
    # session, user, capped count, the page of statements, the outlets for the filter, the
    # unread alerts badge in the header
    with django_assert_num_queries(6) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(35):
        StatementFactory()
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(url)
    assert not any('COUNT(*) FROM "claims_statement"' in q["sql"] for q in few.captured_queries)


def test_the_changelist_search_uses_the_shared_normalisation(admin_client, seeded) -> None:
    page = admin_client.get(reverse("admin:claims_statement_changelist"), {"q": "آذربایجان"})
    assert page.context["cl"].result_count >= 1
    assert "آذربائیجان ہمیشہ ہمسایہ" in page.content.decode()


def test_a_small_result_is_counted_exactly() -> None:
    for _ in range(3):
        StatementFactory()
    assert EstimatedCountPaginator(Statement.objects.all(), 100).count == 3


def test_a_large_result_is_estimated_above_the_cap(monkeypatch) -> None:
    monkeypatch.setattr("claims.paginators.EXACT_COUNT_CAP", 2)
    for _ in range(4):
        StatementFactory()
    count = EstimatedCountPaginator(Statement.objects.all(), 100).count
    assert count >= 3
    assert EXACT_COUNT_CAP == 10_000


def test_the_admin_action_downloads_the_selected_statements(admin_client) -> None:
    chosen, other = StatementFactory(), StatementFactory()
    ClaimLink.objects.create(statement=chosen, claim=ClaimFactory(), stance=Stance.QUESTIONS)
    response = admin_client.post(
        reverse("admin:claims_statement_changelist"),
        {"action": "export_statements_csv", "_selected_action": [chosen.pk]},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [str(chosen.pk)]
    assert rows[1][11] == "questions"
    assert other.pk != chosen.pk


def test_the_suggestion_queue_exports_from_the_admin(admin_client) -> None:
    from tests.factories import SuggestionFactory

    suggestion = SuggestionFactory()
    response = admin_client.post(
        reverse("admin:claims_suggestion_changelist"),
        {"action": "export_suggestions_csv", "_selected_action": [suggestion.pk]},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.startswith("suggestion_id,created_at,")
    assert body.splitlines()[1].startswith(f"{suggestion.pk},")
