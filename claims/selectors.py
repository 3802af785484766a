"""Reads: statements, claims and suggestions as the search page, reports and exports see them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate

from claims.filters import ClaimFilter, StatementFilter, SuggestionFilter
from claims.highlight import keys_of_spans
from claims.models import (
    Claim,
    ClaimLink,
    ClaimVariant,
    Speaker,
    Stance,
    Statement,
    Suggestion,
    Topic,
)
from claims.names import (
    NAME_QUERY_CHARS,
    NameChoice,
    claim_labels,
    claim_wording,
    speaker_labels,
    spelling_pattern,
)
from sources.models import Article
from sources.search import highlight_spans
from sources.selectors import count_of
from sources.text import normalise

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
    # The search document is for PostgreSQL only; no page or export reads it back. The
    # article is joined for its URL and outlet: its body (kilobytes a row) stays behind.
    filters.queryset = Statement.objects.select_related("speaker", "article__source").defer(
        "search_document", "article__body"
    )
    return _apply(filters)


def statement_rows(*, statements: QuerySet[Statement], with_links: bool) -> QuerySet[Statement]:
    """`statements` with only the columns a result row shows (claims/_statement.html), and
    their links with each claim's text when `with_links`.

    A row read whole parses a dozen columns and timestamps of statement, article, outlet and
    speaker it never shows: half the search page's database-reading time in Python.
    """
    statements = statements.only(
        *["text", "language", "said_on", "kind", "speaker_role", "speaker__name"],
        *["article__url", "article__source__name"],
    )
    if not with_links:
        return statements
    links = ClaimLink.objects.select_related("claim").only(
        "statement_id", "claim_id", "stance", "claim__text", "claim__language"
    )
    return statements.prefetch_related(Prefetch("links", queryset=links))


def _link_count(stance: str | None = None) -> Coalesce:
    # Counted per claim row: a page of 50 claims counts 50 claims' links from
    # claimlink_claim_stance_idx, not all 600,000 links first.
    links = ClaimLink.objects.filter(stance=stance) if stance else ClaimLink.objects.all()
    return count_of(links, pointing_at="claim")


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
    """The first CLAIM_TIMELINE_LIMIT of the claim's links in time order, as the admin
    orders them all."""
    return claim_links_in_time_order(claim=claim)[:CLAIM_TIMELINE_LIMIT]


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


# The search form's name boxes offer at most this many names for what has been typed.
NAME_CHOICES_LIMIT = 20


def speakers_with_alias(*, text: str) -> QuerySet[Speaker] | None:
    """Speakers with an alias that holds `text` in any spelling (the alias's key holds the
    key of `text`), or None when `text` has nothing to look for."""
    key = normalise(text)
    return Speaker.objects.filter(aliases__key__contains=key) if key else None


def speaker_choices(*, text: str, limit: int = NAME_CHOICES_LIMIT) -> list[NameChoice]:
    """Speakers whose name or an alias holds `text` in any spelling, as `{id, label}`."""
    by_alias = speakers_with_alias(text=text[:NAME_QUERY_CHARS])
    if by_alias is None:
        return []
    speakers = Speaker.objects.filter(
        Q(name__iregex=spelling_pattern(text)) | Q(pk__in=by_alias.values("pk"))
    ).order_by("-is_confirmed", "name", "pk")
    return speaker_labels(speakers[:limit])


def claim_choices(*, text: str, limit: int = NAME_CHOICES_LIMIT) -> list[NameChoice]:
    """Claims whose text, English gloss or a variant holds `text` in any spelling, or whose
    external id is `text`, newest first, as `{id, label}`."""
    wording = claim_wording(text)
    if wording is None:
        return []
    by_variant = ClaimVariant.objects.filter(text__iregex=spelling_pattern(text)).values("claim_id")
    claims = Claim.objects.filter(wording | Q(pk__in=by_variant)).order_by("-first_seen_at", "-id")
    return claim_labels(claims[:limit])


# The review page lists this many of the claim's latest confirmed statements.
RECENT_CONFIRMED = 5

Span = tuple[int, int]


@dataclass(frozen=True)
class SuggestionReview:
    """What an analyst reads to decide a suggestion; matched words as spans of each text."""

    suggestion: Suggestion
    before: str  # the statement's paragraph up to the statement,
    after: str  # and from its end to the paragraph's end
    statement_spans: list[Span]
    claim_spans: list[Span]
    variants: list[tuple[ClaimVariant, list[Span]]]
    recent_links: list[ClaimLink]
    reporting_verb: dict[str, str] | None  # words and stance of the verb that set the stance
    evidence_rows: list[tuple[str, str, str]]  # why the matcher proposed the pair

    @property
    def statement(self) -> Statement:
        return self.suggestion.statement

    @property
    def claim(self) -> Claim:
        return self.suggestion.claim


def suggestion_review(*, suggestion_id: int) -> SuggestionReview:
    """The suggestion with its statement in context and the words statement and claim share.

    Raises Suggestion.DoesNotExist for an unknown id.
    """
    suggestion = Suggestion.objects.select_related(
        "statement__speaker", "statement__article__source", "claim", "reviewed_by"
    ).get(pk=suggestion_id)
    statement, claim = suggestion.statement, suggestion.claim
    body = statement.article.body
    # The paragraph that holds the statement: article context, not just the quote.
    para_start = body.rfind("\n", 0, statement.start) + 1
    para_end = body.find("\n", statement.end)
    para_end = len(body) if para_end == -1 else para_end
    evidence = suggestion.evidence or {}
    statement_spans = [(m["start"], m["end"]) for m in evidence.get("matched", []) if "start" in m]
    variants = list(claim.variants.all())
    if not statement_spans:
        # No spans from the matcher: the words statement and claim share.
        claim_keys = {
            k
            for text in [claim.text, *(v.text for v in variants)]
            for k in keys_of_spans(text, [(0, len(text))])
        }
        statement_spans = highlight_spans(statement.text, claim_keys)
    keys = keys_of_spans(statement.text, statement_spans)
    recent = (
        ClaimLink.objects.filter(claim=claim)
        .select_related("statement__speaker", "statement__article__source")
        .order_by("-confirmed_at")[:RECENT_CONFIRMED]
    )
    return SuggestionReview(
        suggestion=suggestion,
        before=body[para_start : statement.start],
        after=body[statement.end : para_end],
        statement_spans=statement_spans,
        claim_spans=highlight_spans(claim.text, keys),
        variants=[(v, highlight_spans(v.text, keys)) for v in variants],
        recent_links=list(recent),
        reporting_verb=_reporting_verb(evidence),
        evidence_rows=_evidence_rows(evidence),
    )


def _stance_label(value: str) -> str:
    return Stance(value).label.lower() if value in Stance.values else value


def _reporting_verb(evidence: dict) -> dict[str, str] | None:
    """The reporting verb that decided the suggested stance, if one did."""
    for cue in evidence.get("stance_cues", []):
        if cue.get("kind") == "reporting verb":
            return {"words": cue.get("words", ""), "stance": _stance_label(cue.get("stance", ""))}
    return None


def _evidence_rows(evidence: dict) -> list[tuple[str, str, str]]:
    """Why the matcher proposed the pair: (label, words as written, note) per line."""
    rows = []
    if evidence.get("matched"):
        rows.append(
            ("Matched words", " · ".join(m.get("word", "") for m in evidence["matched"]), "")
        )
    for why in evidence.get("entities", []):
        rows.append(("Entity evidence", "", why))
    for cue in evidence.get("stance_cues", []):
        if cue.get("kind") == "reporting verb":
            rows.append(
                (
                    "Reporting verb",
                    cue.get("words", ""),
                    f"→ {_stance_label(cue.get('stance', ''))}",
                )
            )
        else:
            rows.append((f"Stance cue ({cue.get('kind', '')})", cue.get("words", ""), ""))
    phrasing = evidence.get("phrasing")
    if phrasing:
        rows.append(
            (
                "Phrasing",
                "",
                f"{phrasing.get('kind', '')} ({phrasing.get('language', '')}) · "
                f"BM25 {evidence.get('bm25', '')} · coverage {evidence.get('coverage', '')}",
            )
        )
    return rows


def claim_links_in_time_order(*, claim: Claim) -> QuerySet[ClaimLink]:
    """Every link of the claim in time order, each with `said`: when its statement was made.

    An undated statement counts from its article's publication, else from when it was stored
    (dates in UTC, as the database keeps them); statements of one day in the order stored.
    """
    return (
        ClaimLink.objects.filter(claim=claim)
        .select_related("statement__speaker", "statement__article__source")
        .annotate(said=_said())
        .order_by("said", "statement_id")
    )


def _said() -> Coalesce:
    return Coalesce(
        "statement__said_on",
        TruncDate("statement__article__published_at", tzinfo=UTC),
        TruncDate("statement__created_at", tzinfo=UTC),
    )


def articles_with_statement_counts(*, articles: QuerySet[Article]) -> QuerySet[Article]:
    """`articles`, each with statement_count: the statements stored for it."""
    # Counted per article row through statement_unique_span's index.
    return articles.annotate(
        statement_count=count_of(Statement.objects.all(), pointing_at="article")
    )


def speakers_with_statement_counts(*, speakers: QuerySet[Speaker]) -> QuerySet[Speaker]:
    """`speakers`, each with statement_count: the statements attributed to them."""
    return speakers.annotate(
        statement_count=count_of(Statement.objects.all(), pointing_at="speaker")
    )


def topics_with_claim_counts(*, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """`topics`, each with claim_count: the claims filed under them."""
    return topics.annotate(
        claim_count=count_of(Claim.topics.through.objects.all(), pointing_at="topic")
    )


def reviewed_claims() -> QuerySet[Claim]:
    """Claims with a verdict, for the ClaimReview feed (claim_reviewed_idx)."""
    return Claim.objects.exclude(verdict="")


def claim_appearances(*, claim: Claim, limit: int) -> QuerySet[ClaimLink]:
    """The claim's first `limit` links in time order, with their articles and speakers."""
    return claim_links_in_time_order(claim=claim)[:limit]


def claims_appearances(*, claims: list[Claim], limit: int) -> dict[int, list[ClaimLink]]:
    """claim_appearances for a page of claims in one query: claim id -> its first `limit`
    links in time order (claims without links are left out)."""
    order = [F("said").asc(), F("statement_id").asc()]
    links = (
        ClaimLink.objects.filter(claim__in=claims)
        .select_related("statement__speaker", "statement__article__source")
        .annotate(
            said=_said(),
            rank=Window(RowNumber(), partition_by=[F("claim_id")], order_by=order),
        )
        .filter(rank__lte=limit)
        .order_by("claim_id", *order)
    )
    by_claim: dict[int, list[ClaimLink]] = {}
    for link in links:
        by_claim.setdefault(link.claim_id, []).append(link)
    return by_claim
