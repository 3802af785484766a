"""The review queue: pending suggestions, a review page each, bulk decisions.

Registered from claims/admin.py. Decisions go through claims.services.review.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from claims.admin_columns import PairColumns
from claims.admin_export import export_suggestions_csv
from claims.models import Stance, Suggestion
from claims.selectors import suggestion_review
from claims.services.review import (
    ReviewError,
    next_pending,
    suggestion_accept,
    suggestion_reject,
    suggestions_accept,
    suggestions_reject,
)
from sources.admin import LimitedSearch
from sources.bidi import BidiAdminMixin


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


class SuggestionAdmin(LimitedSearch, PairColumns, BidiAdminMixin, SimpleHistoryAdmin):
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
        if request.method == "POST":
            return self._decide(request, get_object_or_404(Suggestion, pk=suggestion_id))
        try:
            review = suggestion_review(suggestion_id=suggestion_id)
        except Suggestion.DoesNotExist:
            raise Http404(f"No suggestion #{suggestion_id}.") from None
        context = {
            **self.admin_site.each_context(request),
            "title": "Review suggestion",
            "opts": self.model._meta,
            "review": review,
            "suggestion": review.suggestion,
            "statement": review.statement,
            "claim": review.claim,
            "stances": Stance.choices,
            "can_review": self.has_review_permission(request)
            and review.suggestion.status == Suggestion.Status.PENDING,
        }
        return TemplateResponse(request, "admin/claims/suggestion/review.html", context)

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
