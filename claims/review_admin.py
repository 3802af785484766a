"""The review queue: pending suggestions, a review page each, bulk decisions.

Registered from claims/admin.py. Decisions go through claims.services.review.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims.admin_columns import PairColumns
from claims.admin_export import export_suggestions_csv
from claims.highlight import keys_of_spans, marked, spans_of_keys
from claims.models import ClaimLink, Stance, Suggestion
from claims.services.review import (
    ReviewError,
    next_pending,
    suggestion_accept,
    suggestion_reject,
    suggestions_accept,
    suggestions_reject,
)
from sources.bidi import BidiAdminMixin

RECENT_CONFIRMED = 5


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on pending suggestions; decided ones are one click away."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Suggestion.Status.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or Suggestion.Status.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or Suggestion.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class BandFilter(admin.SimpleListFilter):
    """A filter whose choices are bands of one column: value -> (label, condition)."""

    def bands(self) -> dict[str, tuple[str, Q]]:
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.bands().items()]

    def queryset(self, request, queryset):
        bands = self.bands()
        return queryset.filter(bands[self.value()][1]) if self.value() in bands else queryset


class ScoreBandFilter(BandFilter):
    title = "score"
    parameter_name = "score_band"

    def bands(self) -> dict[str, tuple[str, Q]]:
        return {
            "high": ("0.75 and above", Q(score__gte=0.75)),
            "medium": ("0.50 – 0.75", Q(score__gte=0.5, score__lt=0.75)),
            "low": ("below 0.50", Q(score__lt=0.5)),
        }


class AgeFilter(BandFilter):
    title = "age"
    parameter_name = "age"

    def bands(self) -> dict[str, tuple[str, Q]]:
        now = timezone.now()
        day_ago, week_ago = now - timedelta(days=1), now - timedelta(days=7)
        return {
            "day": ("Last 24 hours", Q(created_at__gt=day_ago)),
            "week": ("1–7 days", Q(created_at__lte=day_ago, created_at__gt=week_ago)),
            "older": ("Older than a week", Q(created_at__lte=week_ago)),
        }


class SuggestionAdmin(PairColumns, BidiAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "statement_text",
        "speaker",
        "outlet",
        "said",
        "claim_text",
        "score",
        "suggested_stance",
        "review_link",
    ]
    list_filter = [
        StatusFilter,
        ("claim", admin.RelatedOnlyFieldListFilter),
        ("statement__article__source", admin.RelatedOnlyFieldListFilter),
        "statement__language",
        ScoreBandFilter,
        "suggested_stance",
        AgeFilter,
    ]
    list_select_related = ["statement__speaker", "statement__article__source", "claim"]
    search_fields = ["statement__text", "claim__text", "claim__external_id"]
    raw_id_fields = ["statement", "claim"]
    readonly_fields = ["created_at", "reviewed_by", "reviewed_at"]
    actions = ["accept_selected", "reject_selected", export_suggestions_csv]
    # The queue is long: no second COUNT over all suggestions on every page.
    show_full_result_count = False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.review_suggestion")

    def has_bulk_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.bulk_review_suggestion")

    @admin.display(description="Said", ordering="statement__said_on")
    def said(self, obj: Suggestion):
        return obj.statement.said_on or obj.statement.article.published_at

    @admin.display(description="")
    def review_link(self, obj: Suggestion) -> str:
        url = reverse("admin:claims_suggestion_review", args=[obj.pk])
        return format_html('<a class="button" href="{}">Review</a>', url)

    @admin.action(
        description="Accept selected suggestions (suggested stance)", permissions=["bulk_review"]
    )
    def accept_selected(self, request: HttpRequest, queryset) -> None:
        result = suggestions_accept(
            suggestion_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )
        self._report(request, "accepted", result)

    @admin.action(description="Reject selected suggestions", permissions=["bulk_review"])
    def reject_selected(self, request: HttpRequest, queryset) -> None:
        result = suggestions_reject(
            suggestion_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )
        self._report(request, "rejected", result)

    def _report(self, request: HttpRequest, verb: str, result) -> None:
        self.message_user(request, f"{result.decided} suggestions {verb}.", messages.SUCCESS)
        if result.skipped:
            self.message_user(
                request,
                f"{result.skipped} were already decided by someone else and were left as they are.",
                messages.WARNING,
            )

    def get_urls(self):
        review = path(
            "<int:suggestion_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="claims_suggestion_review",
        )
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest, suggestion_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        suggestion = get_object_or_404(
            Suggestion.objects.select_related(
                "statement__speaker", "statement__article__source", "claim", "reviewed_by"
            ),
            pk=suggestion_id,
        )
        if request.method == "POST":
            return self._decide(request, suggestion)
        return TemplateResponse(
            request,
            "admin/claims/suggestion/review.html",
            {**self.admin_site.each_context(request), **self._review_context(request, suggestion)},
        )

    def _decide(self, request: HttpRequest, suggestion: Suggestion) -> HttpResponse:
        decision = request.POST.get("decision")
        if decision != "skip" and not self.has_review_permission(request):
            raise PermissionDenied
        following = next_pending(after=suggestion)
        try:
            if decision == "accept":
                link = suggestion_accept(
                    suggestion_id=suggestion.pk,
                    user=request.user,
                    stance=request.POST.get("stance") or None,
                )
                self.message_user(
                    request,
                    f"Accepted: the statement {link.get_stance_display().lower()} the claim.",
                )
            elif decision == "reject":
                suggestion_reject(
                    suggestion_id=suggestion.pk,
                    user=request.user,
                    reason=request.POST.get("reason", ""),
                )
                self.message_user(request, "Rejected: this pair will not be suggested again.")
            elif decision != "skip":
                self.message_user(request, f"Unknown decision {decision!r}.", messages.ERROR)
                return HttpResponseRedirect(request.path)
        except ReviewError as exc:
            self.message_user(request, str(exc).capitalize(), messages.WARNING)
        if following is None:
            return HttpResponseRedirect(reverse("admin:claims_suggestion_changelist"))
        return HttpResponseRedirect(reverse("admin:claims_suggestion_review", args=[following.pk]))

    def _review_context(self, request: HttpRequest, suggestion: Suggestion) -> dict:
        statement, claim = suggestion.statement, suggestion.claim
        body = statement.article.body
        # The paragraph that holds the statement: article context, not just the quote.
        para_start = body.rfind("\n", 0, statement.start) + 1
        para_end = body.find("\n", statement.end)
        para_end = len(body) if para_end == -1 else para_end
        evidence = suggestion.evidence or {}
        statement_spans = [
            (m["start"], m["end"]) for m in evidence.get("matched", []) if "start" in m
        ]
        variant_rows = list(claim.variants.all())
        if not statement_spans:
            # No spans from the matcher: the words statement and claim share.
            claim_keys = {
                k
                for text in [claim.text, *(v.text for v in variant_rows)]
                for k in keys_of_spans(text, [(0, len(text))])
            }
            statement_spans = spans_of_keys(statement.text, claim_keys)
        keys = keys_of_spans(statement.text, statement_spans)
        paragraph = (
            marked(body[para_start : statement.start], [])
            + format_html(
                '<span class="statement">{}</span>', marked(statement.text, statement_spans)
            )
            + marked(body[statement.end : para_end], [])
        )
        variants = [(v, marked(v.text, spans_of_keys(v.text, keys))) for v in variant_rows]
        recent = (
            ClaimLink.objects.filter(claim=claim)
            .select_related("statement__speaker", "statement__article__source")
            .order_by("-confirmed_at")[:RECENT_CONFIRMED]
        )
        return {
            "title": "Review suggestion",
            "opts": self.model._meta,
            "suggestion": suggestion,
            "statement": statement,
            "claim": claim,
            "paragraph": paragraph,
            "claim_marked": marked(claim.text, spans_of_keys(claim.text, keys)),
            "variants": variants,
            "recent_links": recent,
            "stances": Stance.choices,
            "reporting_verb": _reporting_verb(evidence),
            "evidence_rows": _evidence_rows(evidence),
            "can_review": self.has_review_permission(request)
            and suggestion.status == Suggestion.Status.PENDING,
        }


def _stance_label(value: str) -> str:
    return Stance(value).label.lower() if value in Stance.values else value


def _reporting_verb(evidence: dict) -> dict | None:
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
