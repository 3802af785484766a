"""ClaimReview out: a claim with a verdict as schema.org ClaimReview JSON-LD, and a DataFeed
of them, the markup search engines and fact-check aggregators read.

Google's documentation for ClaimReview asks for `claimReviewed`, `reviewRating` (with
`alternateName`, and `ratingValue`/`bestRating`/`worstRating` for a numeric scale), `url`
and `author` (an Organization with a name), and recommends `datePublished` and an
`itemReviewed` Claim with its `author`, `datePublished`, `appearance` and `firstAppearance`.
The claim's appearances are the articles of its linked statements, in time order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from claims.models import VERDICT_BEST, VERDICT_WORST, Claim, ClaimLink

CONTEXT = "https://schema.org"
# Appearances listed per claim: the first ones in time order (the export has them all).
APPEARANCES_MAX = 50


def _author(claim: Claim) -> dict[str, str]:
    name = claim.reviewer or settings.DESK_NAME
    url = claim.reviewer_url or ("" if claim.reviewer else settings.DESK_URL)
    return {"@type": "Organization", "name": name, **({"url": url} if url else {})}


def claim_review(*, claim: Claim, links: Iterable[ClaimLink]) -> dict[str, Any]:
    """The ClaimReview of a claim with a verdict; `links` in time order, with each
    statement's article and speaker loaded."""
    links = list(links)
    item: dict[str, Any] = {"@type": "Claim"}
    if links:
        first = links[0].statement
        item["author"] = {"@type": "Person", "name": first.speaker.name}
        said = first.said_on or (
            first.article.published_at.date() if first.article.published_at else None
        )
        if said:
            item["datePublished"] = said.isoformat()
        seen: list[str] = []
        for link in links:
            if link.statement.article.url not in seen:
                seen.append(link.statement.article.url)
        item["firstAppearance"] = {"@type": "CreativeWork", "url": seen[0]}
        item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in seen]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.verdict}
    if claim.verdict_rating is not None:
        rating.update(
            ratingValue=claim.verdict_rating, bestRating=VERDICT_BEST, worstRating=VERDICT_WORST
        )
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": claim.review_url,
        "claimReviewed": claim.text,
        "inLanguage": claim.language or None,
        "author": _author(claim),
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if claim.review_date:
        review["datePublished"] = claim.review_date.isoformat()
    return {key: value for key, value in review.items() if value is not None}


def claim_reviews_feed(reviews: Iterable[tuple[Claim, dict[str, Any]]]) -> dict[str, Any]:
    """A schema.org DataFeed of ClaimReviews (one page of the feed)."""
    elements = []
    for claim, review in reviews:
        review = {key: value for key, value in review.items() if key != "@context"}
        elements.append(
            {"@type": "DataFeedItem", "dateModified": claim.updated_at.isoformat(), "item": review}
        )
    return {"@context": CONTEXT, "@type": "DataFeed", "dataFeedElement": elements}
