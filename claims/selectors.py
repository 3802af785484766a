"""Reads: statements, claims and suggestions as the search page, reports and exports see them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.filters import ClaimFilter, StatementFilter, SuggestionFilter
from claims.models import Claim, ClaimLink, ClaimVariant, Speaker, Stance, Statement, Suggestion
from sources.models import Article

# Re-extraction runs on processed articles and on failed ones (a fixed rule may now succeed);
# pending ones are left to first extraction.
REEXTRACTABLE = (Article.Status.PROCESSED, Article.Status.FAILED)


class InvalidFilters(Exception):
    """Filters that do not validate; `errors` maps each offending parameter to its message."""

    def __init__(self, errors: Mapping[str, Any]) -> None:
        self.errors = errors
        names = ", ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in errors.items())
        super().__init__(f"invalid filters: {names}")


def _apply(filterset: Any) -> QuerySet:
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    return filterset.qs


def statement_list(*, filters: Mapping[str, Any] | StatementFilter) -> QuerySet[Statement]:
    """Statements matching `filters` (the search page's URL parameters), newest first.

    Pass a bound StatementFilter to reuse one the view already holds for its form.
    """
    if not isinstance(filters, StatementFilter):
        filters = StatementFilter(data=filters)
    # The search document is for PostgreSQL only; no page or export reads it back.
    filters.queryset = Statement.objects.select_related("speaker", "article__source").defer(
        "search_document"
    )
    return _apply(filters)


def _link_count(stance: str | None = None) -> Coalesce:
    # A subquery per claim row rather than a JOIN and GROUP BY: a page of 50 claims then
    # counts 50 claims' links (claimlink_claim_stance_idx), not all 600,000 links first.
    links = ClaimLink.objects.filter(claim=OuterRef("pk"))
    if stance:
        links = links.filter(stance=stance)
    counted = links.order_by().values("claim").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)


def claims_with_counts() -> QuerySet[Claim]:
    """Claims with their count of linked statements, in all and per stance."""
    return Claim.objects.annotate(
        statement_count=_link_count(),
        asserts_count=_link_count(Stance.ASSERTS),
        denies_count=_link_count(Stance.DENIES),
        questions_count=_link_count(Stance.QUESTIONS),
        mentions_count=_link_count(Stance.MENTIONS),
    )


def claim_list(*, filters: Mapping[str, Any] | ClaimFilter) -> QuerySet[Claim]:
    """Claims matching `filters`, newest first, each with its statement counts per stance."""
    if not isinstance(filters, ClaimFilter):
        filters = ClaimFilter(data=filters)
    filters.queryset = claims_with_counts().order_by("-first_seen_at", "-id")
    return _apply(filters)


def suggestion_list(*, filters: Mapping[str, Any] | SuggestionFilter) -> QuerySet[Suggestion]:
    if not isinstance(filters, SuggestionFilter):
        filters = SuggestionFilter(data=filters)
    filters.queryset = Suggestion.objects.select_related(
        "statement__speaker", "statement__article", "claim"
    )
    return _apply(filters)


@dataclass
class ClaimHistory:
    """A speaker's statements about one claim, in time order, with their stances."""

    claim: Claim
    links: list[ClaimLink] = field(default_factory=list)

    @property
    def stances(self) -> list[str]:
        return [link.stance for link in self.links]

    @property
    def reversed(self) -> bool:
        """True when the speaker both asserted and denied the claim."""
        return {Stance.ASSERTS, Stance.DENIES} <= set(self.stances)


# A speaker page shows at most this many links; the rest are one export away.
SPEAKER_LINK_LIMIT = 500


def speaker_history(*, speaker: Speaker) -> list[ClaimHistory]:
    """The claims `speaker` spoke about, each with its links in time order, reversals first."""
    links = (
        ClaimLink.objects.filter(statement__speaker=speaker)
        .select_related("claim", "statement__article__source")
        .order_by("statement__said_on", "statement_id")[:SPEAKER_LINK_LIMIT]
    )
    histories: dict[int, ClaimHistory] = {}
    for link in links:
        histories.setdefault(link.claim_id, ClaimHistory(claim=link.claim)).links.append(link)
    return sorted(
        histories.values(),
        key=lambda history: (not history.reversed, -len(history.links), history.claim.pk),
    )


def claim_detail(*, claim_id: int) -> Claim:
    """A claim with its variants and topics, ready for its page."""
    return (
        claims_with_counts()
        .prefetch_related(
            Prefetch("variants", queryset=ClaimVariant.objects.order_by("language", "id")),
            "topics",
        )
        .get(pk=claim_id)
    )


# A claim page's timeline shows at most this many statements; the export has them all.
CLAIM_TIMELINE_LIMIT = 200


def claim_timeline(*, claim: Claim) -> QuerySet[ClaimLink]:
    """The claim's links in the order their statements were made."""
    return (
        ClaimLink.objects.filter(claim=claim)
        .select_related("statement__speaker", "statement__article__source")
        .order_by("statement__said_on", "statement_id")[:CLAIM_TIMELINE_LIMIT]
    )


def articles_for_reextraction(
    *,
    since: date | None = None,
    language: str | None = None,
    ids: Iterable[int] | None = None,
) -> QuerySet[Article]:
    """Articles re-extraction may run on, published (or, undated, stored) on or after `since`.

    `language` matches the primary tag too: "az" selects az and az-Latn articles.
    """
    articles = Article.objects.filter(status__in=REEXTRACTABLE, duplicate_of__isnull=True)
    if since is not None:
        articles = articles.filter(
            Q(published_at__date__gte=since)
            | Q(published_at__isnull=True, created_at__date__gte=since)
        )
    if language:
        articles = articles.filter(Q(language=language) | Q(language__startswith=f"{language}-"))
    if ids is not None:
        articles = articles.filter(pk__in=list(ids))
    return articles.order_by("pk")
