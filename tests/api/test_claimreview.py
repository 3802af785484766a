"""ClaimReview out: the claim page, /api/v1/claims/{id}/claimreview and the feed; and the
round trip through `manage.py import_claimreview`."""

from __future__ import annotations

import json
import re
from datetime import date

from django.core.management import call_command

from claims.models import Claim, ClaimLink, Stance
from tests.factories import ClaimFactory, ClaimLinkFactory, StatementFactory


def _reviewed(n: int, **fields) -> Claim:
    return ClaimFactory(
        text=f"The reservoir number {n} is empty",
        verdict="False",
        verdict_rating=1,
        review_url=f"https://desk.example/checks/{n}",
        review_date=date(2026, 11, n % 28 + 1),
        **fields,
    )


def _check_google_properties(review: dict) -> None:
    """What Google's ClaimReview documentation requires (and recommends) of each review."""
    assert review["@type"] == "ClaimReview"
    # Required
    assert review["claimReviewed"]
    assert review["url"].startswith("https://")
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"]
    # Recommended: a numeric scale, the author (an Organization with a name), the date.
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert review["author"]["@type"] == "Organization"
    assert review["author"]["name"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", review["datePublished"])
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"


def test_a_reviewed_claim_is_claimreview_with_its_appearances(api_as, settings):
    settings.DESK_NAME, settings.DESK_URL = "The Desk", "https://desk.example/"
    claim = _reviewed(1)
    early = StatementFactory(said_on=date(2026, 10, 1))
    late = StatementFactory(said_on=date(2026, 10, 5))
    ClaimLinkFactory(claim=claim, statement=late, stance=Stance.ASSERTS)
    ClaimLinkFactory(claim=claim, statement=early, stance=Stance.ASSERTS)
    response = api_as("Viewer").get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    review = response.json()
    _check_google_properties(review)
    assert review["@context"] == "https://schema.org"
    assert review["author"] == {
        "@type": "Organization",
        "name": "The Desk",
        "url": "https://desk.example/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    item = review["itemReviewed"]
    assert item["firstAppearance"]["url"] == early.article.url
    assert [a["url"] for a in item["appearance"]] == [early.article.url, late.article.url]
    assert item["author"]["name"] == early.speaker.name
    assert item["datePublished"] == "2026-10-01"


def test_a_claim_without_a_verdict_has_no_claimreview(api_as):
    claim = ClaimFactory()
    assert api_as("Viewer").get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404


def test_the_claim_page_embeds_the_claimreview(member, client):
    claim = _reviewed(2)
    member("Viewer")
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    block = re.search(r'<script[^>]*type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    review = json.loads(block.group(1))
    _check_google_properties(review)
    assert review["claimReviewed"] == claim.text


def _feed(client) -> list[dict]:
    """Every page of the feed, following its Link headers."""
    items, url = [], "/api/v1/claimreview/?page_size=2"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        feed = response.json()
        assert feed["@type"] == "DataFeed"
        items += feed["dataFeedElement"]
        link = response.headers.get("Link", "")
        url = re.match(r"<([^>]+)>", link).group(1) if link else None
    return items


def test_the_feed_lists_every_reviewed_claim_by_pages(api_as):
    reviewed = {_reviewed(n).pk for n in range(5)}
    ClaimFactory()  # no verdict: not in the feed
    items = _feed(api_as("Viewer"))
    assert len(items) == 5
    for element in items:
        assert element["@type"] == "DataFeedItem"
        _check_google_properties(element["item"])
    assert {
        c.pk for c in Claim.objects.filter(text__in=[e["item"]["claimReviewed"] for e in items])
    } == reviewed


def test_the_feed_gives_each_claim_its_own_appearances_in_a_few_queries(
    api_as, django_assert_max_num_queries
):
    claims = [_reviewed(n) for n in range(1, 4)]
    for n, claim in enumerate(claims):
        for day in (9, 2, 5)[: n + 1]:
            ClaimLinkFactory(claim=claim, statement=StatementFactory(said_on=date(2026, 10, day)))
    client = api_as("Viewer")
    expected = {
        claim.pk: client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["itemReviewed"]
        for claim in claims
    }
    # Token, rate counter, page and one query for every claim's appearances, however many.
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/claimreview/?page_size=10")
    items = [element["item"] for element in response.json()["dataFeedElement"]]
    assert len(items) == 3
    for item in items:
        claim = Claim.objects.get(text=item["claimReviewed"])
        assert item["itemReviewed"] == expected[claim.pk]


def test_export_then_import_into_an_empty_database_brings_back_the_same_reviews(api_as, tmp_path):
    for n in range(4):
        _reviewed(n, language=["en", "ur", "fa", "ar"][n])
    ClaimFactory(
        text="The bridge opened",
        verdict="Mostly true",
        verdict_rating=4,
        reviewer="Another desk",
        reviewer_url="https://other.example/",
        review_url="https://other.example/r/9",
        review_date=date(2026, 1, 2),
    )
    fields = [
        "text",
        "language",
        "verdict",
        "verdict_rating",
        "reviewer",
        "reviewer_url",
        "review_url",
        "review_date",
    ]
    before = sorted(Claim.objects.exclude(verdict="").values_list(*fields))
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": _feed(api_as("Viewer")),
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))

    ClaimLink.objects.all().delete()
    Claim.objects.all().delete()
    call_command("import_claimreview", str(path))
    assert sorted(Claim.objects.values_list(*fields)) == before
