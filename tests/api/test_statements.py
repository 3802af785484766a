from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Stance
from tests.factories import ClaimLinkFactory, SpeakerFactory, StatementFactory

URL = "/api/v1/statements/"


def _all_pages(client, url: str) -> list[int]:
    ids: list[int] = []
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


def test_it_pages_by_cursor_newest_stored_first_without_gaps_or_repeats(api_as):
    made = [StatementFactory().pk for _ in range(23)]
    client = api_as("Viewer")
    assert _all_pages(client, f"{URL}?page_size=5") == sorted(made, reverse=True)
    assert _all_pages(client, f"{URL}?page_size=5&order=oldest") == sorted(made)


def test_a_page_counts_nothing_and_loads_no_row_twice(api_as):
    for _ in range(3):
        ClaimLinkFactory()
    client = api_as("Viewer")
    client.get(URL)  # the token's last_used_at, the outlets' choices: warmed once
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(URL).json()["results"]) == 3
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("COUNT(" in q.upper() for q in sql)
    # The token, the user's permissions, the outlets for the filter, the page's ids, its rows
    # (speaker, article, outlet joined), their links: the same for any number of rows.
    assert len(sql) <= 7, sql


def test_it_filters_exactly_as_the_search_page_does(api_as):
    speaker = SpeakerFactory()
    wanted = StatementFactory(speaker=speaker, text="the pipeline was sabotaged")
    StatementFactory(speaker=speaker, text="the harvest was good")
    StatementFactory(text="the pipeline is fine")
    client = api_as("Viewer")
    body = client.get(URL, {"q": "pipeline", "speaker": speaker.pk}).json()
    assert [row["id"] for row in body["results"]] == [wanted.pk]
    row = body["results"][0]
    assert row["speaker"]["name"] == speaker.name
    assert row["article"]["url"] == wanted.article.url
    assert row["article"]["source"]["name"] == wanted.article.source.name


def test_it_refuses_an_invalid_filter_naming_it(api_as):
    response = api_as("Viewer").get(URL, {"said_on_after": "yesterday"})
    assert response.status_code == 400
    assert "said_on_after" in response.json() or "said_on" in response.json()


def test_links_and_stances_show_for_users_who_may_view_them(api_as):
    link = ClaimLinkFactory(stance=Stance.DENIES)
    other = StatementFactory()
    row = api_as("Viewer").get(f"{URL}{link.statement_id}/").json()
    assert row["links"][0]["stance"] == "denies"
    assert row["links"][0]["claim"]["id"] == link.claim_id
    body = api_as("Viewer").get(URL, {"claim": link.claim_id, "stance": "denies"}).json()
    assert [r["id"] for r in body["results"]] == [link.statement_id]
    assert other.pk not in [r["id"] for r in body["results"]]


def test_a_user_without_link_permissions_sees_no_links_and_cannot_filter_by_claim(api_as):
    link = ClaimLinkFactory(stance=Stance.DENIES)
    StatementFactory()
    client = api_as(None, "claims.view_statement")
    row = client.get(f"{URL}{link.statement_id}/").json()
    assert "links" not in row
    body = client.get(URL, {"claim": link.claim_id, "stance": "denies"}).json()
    # The claim and stance filters are ignored for them, as on the search page.
    assert len(body["results"]) == 2
    assert all("links" not in r for r in body["results"])
