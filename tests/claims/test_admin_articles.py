"""The article admin from the claims side: statement counts, extraction figures, re-extraction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Statement
from sources.models import Article
from tests.claims.reextraction_story import DENIAL, story
from tests.factories import ArticleFactory
from tests.workers import wait_until

CHANGELIST = "admin:sources_article_changelist"


@pytest.mark.django_db
def test_the_article_list_shows_how_many_statements_each_article_has(admin_client) -> None:
    karimi = story()
    ArticleFactory()  # pending: nothing found yet
    page = admin_client.get(reverse(CHANGELIST), {"o": "-7"})
    assert page.status_code == 200
    counts = {row.pk: row.statement_count for row in page.context["cl"].result_list}
    assert counts[karimi.article.pk] == 2
    assert sorted(counts.values()) == [0, 2]


@pytest.mark.django_db
def test_the_article_page_shows_the_extraction_and_links_to_its_statements(admin_client) -> None:
    karimi = story()
    page = admin_client.get(reverse("admin:sources_article_change", args=[karimi.article.pk]))
    html = page.content.decode()
    assert "Found by the last extraction" in html and "Extraction runs" in html
    link = f"{reverse('admin:claims_statement_changelist')}?article__id__exact={karimi.article.pk}"
    assert f'href="{link}">2 statements of this article' in html

    other = story()
    statements = admin_client.get(link)
    assert statements.status_code == 200
    shown = {s.article_id for s in statements.context["cl"].result_list}
    assert shown == {karimi.article.pk} != {other.article.pk}


@pytest.mark.django_db
def test_the_add_page_has_no_extraction_section(admin_client) -> None:
    page = admin_client.get(reverse("admin:sources_article_add"))
    assert page.status_code == 200
    assert "Statement extraction" not in page.content.decode()


@pytest.mark.django_db
def test_a_viewer_is_not_offered_re_extraction(client, member) -> None:
    member("Viewer")
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert "reextract_statements" not in page.content.decode()


def test_the_action_queues_the_selected_articles_for_the_workers(
    admin_client, celery_worker_process
) -> None:
    karimi = story()
    pending = ArticleFactory()
    karimi.register_ali()
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "reextract_statements", "_selected_action": [karimi.article.pk, pending.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0].startswith("1 articles queued for re-extraction")
    assert shown[1].startswith("1 skipped: pending articles are extracted as usual")
    wait_until(
        lambda: Statement.objects.get(text=DENIAL).speaker_id == karimi.ali.pk,
        what="the queued re-extraction",
    )
    assert Article.objects.get(pk=pending.pk).status == Article.Status.PENDING
