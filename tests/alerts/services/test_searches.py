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


def test_words_and_language_match_as_the_search_page_does(person) -> None:
    watcher = person("watcher")
    watch = watch_create(user=watcher, kind="search", name="Closed", query="q=closed border")
    rows = [
        StatementFactory(text="the border is closed today"),
        StatementFactory(text="the borders were closed"),
        StatementFactory(text="the border is open"),
    ]
    ids = [s.pk for s in rows]
    page = {s.pk for s in statement_list(filters={"q": "closed border"}).filter(pk__in=ids)}
    found = {statement_id for _, statement_id in saved_searches_matching(ids, links=False)}
    assert watch.search_exact is True
    assert found == page and len(page) >= 1


def test_a_search_the_page_would_refuse_matches_nothing(person) -> None:
    watcher = person("watcher")
    watch = watch_create(user=watcher, kind="search", name="Bad", query="language=xx&q=border")
    statement = StatementFactory(text="the border is closed")
    assert watch.search_exact is False
    assert saved_searches_matching([statement.pk], links=False) == []


def test_an_outlet_country_filter_is_decided_by_the_search_pages_filter_class(person) -> None:
    watcher = person("watcher")
    watch_create(user=watcher, kind="search", name="Iran", query="country=ir")
    iranian = StatementFactory(article__source__country="IR")
    other = StatementFactory(article__source__country="AZ")
    matches = saved_searches_matching([iranian.pk, other.pk], links=False)
    assert [statement_id for _, statement_id in matches] == [iranian.pk]
