"""Editor-facing pages outside the admin: search, speaker and claim pages, CSV exports.

Thin: each view checks permissions, calls a selector or the export service, and renders.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from claims import visibility
from claims.filters import ClaimFilter, StatementFilter
from claims.http import csv_response
from claims.models import Claim, ClaimLink, ExportRun, Speaker, Stance
from claims.selectors import (
    InvalidFilters,
    claim_choices,
    claim_detail,
    claim_list,
    claim_timeline,
    speaker_choices,
    speaker_history,
    statement_list,
)
from claims.services import claimreview, export
from claims.services.claimreview import claim_review
from sources.search import TRUNCATED_NOTICE, search_query

PAGE_SIZE = 25
# Counting every match of a common word over a million statements costs more than the page
# itself; past this many the page says "more than 200" and pages on with "Next" links.
COUNT_CAP = 200
# Deep OFFSETs get slow and nobody reads page 41 of a search: refine it, or export it all.
MAX_PAGE = 40
CLAIMS_PAGE_SIZE = 50
# 100,000 claims; deeper than any catalogue, and keeps the OFFSET a small number.
MAX_CLAIMS_PAGE = 2_000


def _require(request: HttpRequest, *perms: str) -> None:
    if not request.user.has_perms(perms):
        raise PermissionDenied("You may not view these records.")


class _BadPage(Exception):
    """`?page=` names no page this view serves; the message says why."""


def _page_number(request: HttpRequest, last: int) -> int:
    """The page asked for, 1 without `?page=`.

    Anything but a whole number from 1 to `last` raises `_BadPage`: a page that cannot exist
    is a 404 rather than page 1, and a number PostgreSQL's OFFSET cannot hold never reaches it.
    """
    raw = request.GET.get("page", "1")
    digits = raw.lstrip("0")
    if not raw.isascii() or not raw.isdigit() or not digits:
        raise _BadPage(f"{raw[:40]!r} is not a page number: pages are numbered 1, 2, 3 and so on")
    # Checked on its length first: int() refuses strings of over 4,300 digits.
    if len(digits) > len(str(last)) or int(digits) > last:
        raise _BadPage(f"pages stop at {last}: refine the search, or export every match")
    return int(digits)


def _bad_page(request: HttpRequest, error: _BadPage) -> HttpResponse:
    return render(request, "claims/not_found.html", {"what": f"such page ({error})"}, status=404)


def _statement_filter(request: HttpRequest) -> StatementFilter:
    """The search form; its claim and stance filters only for users who may view links.

    Filtering by a claim would show which statements are linked to it, and how, to a user
    who may not see links or claims; without the filters those parameters are ignored.
    """
    filterset = StatementFilter(request.GET, request=request)
    for name in visibility.hidden_filters(user=request.user, kind=ExportRun.Kind.STATEMENTS):
        del filterset.filters[name]
    return filterset


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def search(request: HttpRequest) -> HttpResponse:
    _require(request, "claims.view_statement")
    filterset = _statement_filter(request)
    context = {
        "filter": filterset,
        "show_links": visibility.may_view_links(request.user),
        "query_string": _query_string(request),
        "truncated_notice": TRUNCATED_NOTICE,
    }
    try:
        statements = statement_list(filters=filterset)
    except InvalidFilters:
        return render(request, "claims/search.html", context, status=400)
    if context["show_links"]:
        statements = statements.prefetch_related(
            Prefetch("links", queryset=ClaimLink.objects.select_related("claim"))
        )
    try:
        number = _page_number(request, MAX_PAGE)
    except _BadPage as error:
        return _bad_page(request, error)
    offset = (number - 1) * PAGE_SIZE
    rows = list(statements[offset : offset + PAGE_SIZE + 1])
    if number == 1 and len(rows) <= PAGE_SIZE:
        total = len(rows)  # all on one page: nothing left to count
    else:
        # values("pk"): count the matches only, without the joins the page itself needs.
        total = statements.order_by().values("pk")[: COUNT_CAP + 1].count()
    has_next = len(rows) > PAGE_SIZE and number < MAX_PAGE
    rows = rows[:PAGE_SIZE]
    parsed = search_query(filterset.form.cleaned_data.get("q") or "")
    context.update(
        statements=rows,
        terms=parsed.terms,
        query_truncated=parsed.truncated,
        total=min(total, COUNT_CAP),
        total_capped=total > COUNT_CAP,
        page=number,
        previous_page=number - 1 if number > 1 else None,
        next_page=number + 1 if has_next else None,
        last_allowed_page=number == MAX_PAGE and len(rows) == PAGE_SIZE,
        first_row=offset + 1,
        last_row=offset + len(rows),
    )
    return render(request, "claims/search.html", context)


@login_required
def speaker_names(request: HttpRequest) -> JsonResponse:
    """The search form's speaker box: speakers named like `?q=`, as `{"results": [{id, label}]}`."""
    _require(request, "claims.view_speaker")
    return JsonResponse({"results": speaker_choices(text=request.GET.get("q", ""))})


@login_required
def claim_names(request: HttpRequest) -> JsonResponse:
    """The search form's claim box: claims worded like `?q=`, as `{"results": [{id, label}]}`."""
    _require(request, "claims.view_claim")
    return JsonResponse({"results": claim_choices(text=request.GET.get("q", ""))})


@login_required
def speaker_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "claims.view_speaker", "claims.view_statement", *visibility.LINK_PERMISSIONS)
    speaker = get_object_or_404(Speaker.objects.prefetch_related("aliases"), pk=pk)
    recent = statement_list(filters={"speaker": str(speaker.pk)})[:PAGE_SIZE]
    return render(
        request,
        "claims/speaker.html",
        {
            "speaker": speaker,
            "histories": speaker_history(speaker=speaker),
            "recent": recent,
            "terms": frozenset(),
            "show_links": True,  # this page requires the link permissions
            "export_query": f"speaker={speaker.pk}",
        },
    )


@login_required
def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "claims.view_claim", "claims.view_statement", "claims.view_claimlink")
    try:
        claim = claim_detail(claim_id=pk)
    except Claim.DoesNotExist:
        return render(request, "claims/not_found.html", {"what": f"claim {pk}"}, status=404)
    timeline = list(claim_timeline(claim=claim))
    review = None
    if claim.verdict:
        # JSON-LD for search engines: escaped as json_script escapes (no `</script>` inside);
        # a data block, never run, with the nonce so that no policy checker flags it.
        review = mark_safe(
            json_script(
                claim_review(claim=claim, links=timeline[: claimreview.APPEARANCES_MAX])
            ).replace(
                'type="application/json"',
                f'type="application/ld+json" nonce="{request.csp_nonce}"',
                1,
            )
        )
    return render(
        request,
        "claims/claim.html",
        {
            "claim": claim,
            "timeline": timeline,
            "timeline_capped": claim.statement_count > len(timeline),
            "stance_counts": [
                (Stance.ASSERTS.label, claim.asserts_count),
                (Stance.DENIES.label, claim.denies_count),
                (Stance.QUESTIONS.label, claim.questions_count),
                (Stance.MENTIONS.label, claim.mentions_count),
            ],
            "export_query": f"claim={claim.pk}",
            "claim_review": review,
        },
    )


@login_required
def claims_report(request: HttpRequest) -> HttpResponse:
    _require(request, "claims.view_claim")
    filterset = ClaimFilter(request.GET)
    context = {
        "filter": filterset,
        "query_string": _query_string(request),
        "show_counts": visibility.may_view_link_counts(request.user),
    }
    try:
        claims = claim_list(filters=filterset)
    except InvalidFilters:
        return render(request, "claims/claims.html", context, status=400)
    try:
        number = _page_number(request, MAX_CLAIMS_PAGE)
    except _BadPage as error:
        return _bad_page(request, error)
    offset = (number - 1) * CLAIMS_PAGE_SIZE
    rows = list(claims[offset : offset + CLAIMS_PAGE_SIZE + 1])
    context.update(
        claims=rows[:CLAIMS_PAGE_SIZE],
        page=number,
        previous_page=number - 1 if number > 1 else None,
        next_page=number + 1 if len(rows) > CLAIMS_PAGE_SIZE else None,
    )
    return render(request, "claims/claims.html", context)


# POST, so the CSRF check holds: a link or image on another site cannot start an export
# (up to tens of megabytes, and an ExportRun row) in a signed-in editor's name.
@require_POST
@login_required
def export_csv(request: HttpRequest, kind: str) -> HttpResponse:
    """An Export CSV button: the `kind` export of the page's filters, kept in the URL."""
    filters = request.GET.copy()
    # As on the page whose URL the button sends, filters the user may not use are ignored
    # (the page does not offer them); the export service would refuse them.
    for name in visibility.hidden_filters(user=request.user, kind=kind):
        filters.pop(name, None)
    try:
        stream = export.export_csv(kind=kind, user=request.user, filters=filters)
    except export.ExportError as exc:
        raise PermissionDenied(str(exc)) from exc
    except InvalidFilters as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return csv_response(stream, kind=kind)
