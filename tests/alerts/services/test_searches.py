"""A saved search matches exactly what the search page would list."""

from __future__ import annotations

import pytest

from alerts.models import Notification
from alerts.services.searches import saved_searches_matching
from alerts.services.watches import watch_create
from claims.models import Stance
from claims.selectors import statement_list
from claims.services.links import claim_link_save
from tests.factories import ClaimFactory, ClaimLinkFactory, StatementFactory

pytestmark = pytest.mark.django_db

QUERY = "language=ur&stance=denies"


def test_a_search_with_language_and_stance_matches_only_what_the_page_lists(person) -> None:
    watcher, analyst = person("watcher"), person("analyst")
    watch = watch_create(user=watcher, kind="search", name="Urdu denials", query=f"?{QUERY}&page=3")
    claim = ClaimFactory()
    rows = {
        (language, stance): StatementFactory(language=language)
        for language in ("ur", "fa")
        for stance in (Stance.DENIES, Stance.ASSERTS)
    }
    for (_, stance), statement in rows.items():
        link = ClaimLinkFactory.build(statement=statement, claim=claim, stance=stance)
        claim_link_save(link=link, user=analyst)

    page = {s.pk for s in statement_list(filters={"language": "ur", "stance": "denies"})}
    told = set(
        Notification.objects.filter(user=watcher).values_list("event__statement_id", flat=True)
    )
    assert told == page == {rows[("ur", Stance.DENIES)].pk}
    assert watch.query == QUERY  # paging is not part of a search


def test_a_statement_without_a_link_does_not_match_a_stance_search(person) -> None:
    watcher = person("watcher")
    watch_create(user=watcher, kind="search", name="Urdu denials", query=QUERY)
    statement = StatementFactory(language="ur")
    assert saved_searches_matching([statement.pk], links=False) == []
    assert saved_searches_matching([statement.pk], links=True) == []


def test_a_user_who_may_not_see_links_gets_the_search_without_its_stance_filter(person) -> None:
    from django.contrib.auth.models import Permission

    reader = person("reader", role=None)
    reader.user_permissions.add(Permission.objects.get(codename="view_statement"))
    watch = watch_create(user=reader, kind="search", name="Urdu", query=QUERY)
    assert watch.query == "language=ur"
