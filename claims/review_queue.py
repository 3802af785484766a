"""Reads for the suggestion review queue (the admin's suggestion list): what its filters and
search box select, kept cheap at any number of claims, outlets and statements.

The queue's sidebar used to list one link per claim and per outlet (1,982 claim links,
405 KB of HTML at 2,000 claims); claims and outlets are now chosen in a text box, so the
page's size and cost no longer grow with either.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from claims.models import Claim, ClaimVariant, Statement, Suggestion
from claims.names import NameChoice, claim_labels, claim_wording, spelling_pattern
from sources.models import Source
from sources.search import documents_matching


def queue_suggestions(*, suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """`suggestions` with what a queue row shows, and without the matcher's evidence (read by
    the review page only: a JSON document per row that the list would load for nothing)."""
    return suggestions.select_related(
        "statement__speaker", "statement__article__source", "claim"
    ).defer("evidence", "statement__search_document", "statement__article__body")


def queue_rows(*, suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """`suggestions` with only the columns a queue row shows."""
    return suggestions.only(
        *["statement_id", "claim_id", "score", "suggested_stance", "status", "created_at"],
        *["statement__text", "statement__language", "statement__said_on"],
        *["statement__speaker__name", "statement__article__published_at"],
        *["statement__article__source__name", "claim__text", "claim__language"],
    )


def suggestions_of_claims_worded(
    *, suggestions: QuerySet[Suggestion], text: str
) -> QuerySet[Suggestion]:
    """The suggestions whose claim holds `text` in its text, English gloss or a variant, in
    any spelling (as the search page's claim box finds claims), or has `text` as external id.
    """
    wording = claim_wording(text)
    if wording is None:
        return suggestions
    by_variant = ClaimVariant.objects.filter(text__iregex=spelling_pattern(text)).values("claim_id")
    claims = Claim.objects.filter(wording | Q(pk__in=by_variant))
    # The ids first, in their own query: as a subquery the planner joined the queue to a
    # regular-expression scan of every claim (53 ms at 2,000 claims, against 3 ms).
    return suggestions.filter(claim_id__in=list(claims.values_list("pk", flat=True)))


def suggestions_from_outlets_named(
    *, suggestions: QuerySet[Suggestion], text: str
) -> QuerySet[Suggestion]:
    """The suggestions whose statement comes from an outlet with `text` in its name or domain."""
    text = text.strip()
    if not text:
        return suggestions
    outlets = Source.objects.filter(Q(name__icontains=text) | Q(domain__icontains=text))
    return suggestions.filter(statement__article__source_id__in=outlets.values("pk"))


def suggestions_searched(*, suggestions: QuerySet[Suggestion], text: str) -> QuerySet[Suggestion]:
    """The queue's search box: statements through their full-text index (the search page's
    syntax), or a claim by its exact external id.

    Claim wording is the claim box's job: searching it here made every search a scan of all
    claims' texts (ILIKE) joined to the queue.
    """
    text = text.strip()
    if not text:
        return suggestions
    statements = documents_matching(Statement.objects.all(), text)
    by_statement = Q(statement_id__in=statements.values("pk"))
    by_external_id = Q(claim_id__in=Claim.objects.filter(external_id=text).values("pk"))
    return suggestions.filter(by_statement | by_external_id)


def claim_choice(*, claim_id: int) -> NameChoice | None:
    """The claim the queue is filtered by, labelled as the claim box labels it."""
    found = claim_labels(Claim.objects.filter(pk=claim_id))
    return found[0] if found else None


def outlet_choice(*, source_id: int) -> NameChoice | None:
    found = Source.objects.filter(pk=source_id).values_list("pk", "name").first()
    return {"id": found[0], "label": f"{found[1]} · #{found[0]}"} if found else None
