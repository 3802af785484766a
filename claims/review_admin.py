"""The review queue: pending suggestions, a review page each, bulk decisions.

Registered from claims/admin.py. Decisions go through claims.services.review.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from simple_history.admin import SimpleHistoryAdmin

from claims import visibility
from claims.admin_columns import PairColumns
from claims.admin_export import export_suggestions_csv
from claims.filters import LANGUAGE_CHOICES
from claims.http import record_url
from claims.models import ExportRun, Stance, Suggestion
from claims.names import NameChoice
from claims.review_queue import (
    claim_choice,
    outlet_choice,
    queue_rows,
    queue_suggestions,
    suggestions_from_outlets_named,
    suggestions_of_claims_worded,
    suggestions_searched,
)
from claims.selectors import suggestion_review
from claims.services.review import (
    ReviewError,
    next_pending,
    suggestion_accept,
    suggestion_reject,
    suggestions_accept,
    suggestions_reject,
)
from sources.admin import LimitedSearch, LimitedSearchChangeList
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


class BoxFilter(admin.ListFilter):
    """A record chosen in a text box rather than from a list of links, one per record.

    Two parameters: `id_parameter` (the record chosen, kept from the list filter it replaces
    so bookmarks still work) and `text_parameter` (words of its name: every record they fit).
    Text that differs from the chosen record's label wins, so editing the box refines the
    filter even without scripts. With `names_url`, static/claims/names.js offers matching
    names as one types and picking one chooses that record.
    """

    template = "admin/claims/suggestion/box_filter.html"
    id_parameter: str
    text_parameter: str
    # The PairColumns visibility rule reads a filter class's parameter_name.
    parameter_name: str
    names_url: str | None = None

    def __init__(self, request, params, model, model_admin) -> None:
        super().__init__(request, params, model, model_admin)
        self.chosen_id = (params.pop(self.id_parameter, None) or [""])[-1].strip()
        self.text = (params.pop(self.text_parameter, None) or [""])[-1].strip()
        self.chosen = None
        if self.chosen_id:
            if not self.chosen_id.isdigit() or len(self.chosen_id) > 18:
                raise IncorrectLookupParameters(f"{self.chosen_id!r} is no {self.title} id")
            self.chosen = self.choice(int(self.chosen_id))
            if self.text and (self.chosen is None or self.text != self.chosen["label"]):
                self.chosen_id, self.chosen = "", None  # the box was edited: its text counts

    def choice(self, pk: int) -> NameChoice | None:
        raise NotImplementedError

    def by_text(self, queryset: QuerySet, text: str) -> QuerySet:
        raise NotImplementedError

    def by_id(self, queryset: QuerySet, pk: int) -> QuerySet:
        raise NotImplementedError

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return [self.id_parameter, self.text_parameter]

    def queryset(self, request, queryset):
        if self.chosen_id:
            return self.by_id(queryset, int(self.chosen_id))
        if self.text:
            return self.by_text(queryset, self.text)
        return queryset

    def choices(self, changelist):
        others = QueryDict(
            changelist.get_query_string(remove=[*self.expected_parameters(), PAGE_VAR])[1:]
        )
        yield {
            "selected": bool(self.chosen_id or self.text),
            "hidden": [(name, value) for name, values in others.lists() for value in values],
            "id_parameter": self.id_parameter,
            "text_parameter": self.text_parameter,
            "chosen_id": self.chosen_id,
            "text": self.chosen["label"] if self.chosen else self.text,
            "names_url": self.names_url,
            "clear_url": changelist.get_query_string(
                remove=[*self.expected_parameters(), PAGE_VAR]
            ),
        }


class ClaimBoxFilter(BoxFilter):
    title = "claim"
    id_parameter = parameter_name = "claim__id__exact"
    # Named claim__…: hidden with the claim filter, and refused by the exports like it.
    text_parameter = "claim__q"

    def __init__(self, request, params, model, model_admin) -> None:
        self.names_url = reverse("claims:claim_names")
        super().__init__(request, params, model, model_admin)

    def choice(self, pk: int) -> NameChoice | None:
        return claim_choice(claim_id=pk)

    def by_id(self, queryset: QuerySet, pk: int) -> QuerySet:
        return queryset.filter(claim_id=pk)

    def by_text(self, queryset: QuerySet, text: str) -> QuerySet:
        return suggestions_of_claims_worded(suggestions=queryset, text=text)


class OutletBoxFilter(BoxFilter):
    title = "outlet"
    id_parameter = parameter_name = "statement__article__source__id__exact"
    text_parameter = "outlet__q"

    def choice(self, pk: int) -> NameChoice | None:
        return outlet_choice(source_id=pk)

    def by_id(self, queryset: QuerySet, pk: int) -> QuerySet:
        return queryset.filter(statement__article__source_id=pk)

    def by_text(self, queryset: QuerySet, text: str) -> QuerySet:
        return suggestions_from_outlets_named(suggestions=queryset, text=text)


class StatementLanguageFilter(admin.SimpleListFilter):
    # Fixed choices: the default filter ran SELECT DISTINCT language over every statement.
    title = "language"
    parameter_name = "statement__language__exact"

    def lookups(self, request, model_admin):
        return LANGUAGE_CHOICES

    def queryset(self, request, queryset):
        return queryset.filter(statement__language=self.value()) if self.value() else queryset


class QueueChangeList(LimitedSearchChangeList):
    """Claim and stance parameters are ignored for a user who may not view claims (the
    filters are not offered to them), as the search page ignores its hidden filters; the
    admin's export action still refuses them (claims.admin_export)."""

    hidden: list[str] = []

    def get_results(self, request: HttpRequest) -> None:
        # Only the columns the rows show (the rest would be read and parsed for nothing, a
        # dozen timestamps a row). Set here, after the filters, so the actions, which build
        # their own queryset, still get whole rows.
        self.queryset = queue_rows(suggestions=self.queryset)
        super().get_results(request)

    def url_for_result(self, result: Suggestion) -> str:
        # One reverse() per page, not per row: a reverse costs ~0.1 ms, the queue lists 100.
        return record_url("admin:claims_suggestion_change", result.pk)

    def get_filters(self, request: HttpRequest):
        self.hidden = visibility.hidden_filters(user=request.user, kind=ExportRun.Kind.SUGGESTIONS)
        return super().get_filters(request)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        return {
            name: values
            for name, values in lookup_params.items()
            if name.split("__")[0] not in self.hidden
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
        ClaimBoxFilter,
        OutletBoxFilter,
        StatementLanguageFilter,
        ScoreBandFilter,
        "suggested_stance",
        AgeFilter,
    ]
    list_select_related = ["statement__speaker", "statement__article__source", "claim"]
    # Searched through the statements' full-text index and claims' external ids
    # (get_search_results); claim wording has the claim box.
    search_fields = ["statement__text", "claim__external_id"]
    search_help_text = (
        'Statement words in any spelling; "quoted words" as a phrase; -word excludes; '
        "or a claim's external id."
    )
    raw_id_fields = ["statement", "claim"]
    readonly_fields = ["created_at", "reviewed_by", "reviewed_at"]
    actions = ["accept_selected", "reject_selected", export_suggestions_csv]
    # The queue is long: no second COUNT over all suggestions on every page.
    show_full_result_count = False
    # Half the admin's 100: a row costs ~0.4 ms to render, and a reviewer reads from the top.
    list_per_page = 50

    class Media:
        js = ["claims/names.js"]  # the claim box's names

    def get_queryset(self, request: HttpRequest) -> QuerySet[Suggestion]:
        return queue_suggestions(suggestions=super().get_queryset(request))

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return QueueChangeList

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # The parameters of the queue's own filters across relations, which Django allows
        # only for the filters it knows.
        own = {
            *ClaimBoxFilter.expected_parameters(ClaimBoxFilter),
            *OutletBoxFilter.expected_parameters(OutletBoxFilter),
            StatementLanguageFilter.parameter_name,
        }
        return lookup in own or super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        return suggestions_searched(suggestions=queryset, text=search_term), False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.review_suggestion")

    def has_bulk_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.bulk_review_suggestion")

    @admin.display(description="Said", ordering="statement__said_on")
    def said(self, obj: Suggestion):
        return obj.statement.said_on or obj.statement.article.published_at

    @admin.display(description="")
    def review_link(self, obj: Suggestion) -> str:
        url = record_url("admin:claims_suggestion_review", obj.pk)
        return format_html('<a class="button" href="{}">Review</a>', url)

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj: Suggestion) -> SafeString:
        # The admin's own renders a form widget's template per row (~0.6 ms each); the same
        # <input> written out directly.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            f"Select this object for an action - {obj}",
        )

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
        # The claim, the stance suggested towards it and the matcher's evidence (the words
        # statement and claim share) need view claim; the claim's confirmed statements need
        # the link permissions too (claims.visibility). Without view claim there is nothing
        # to decide on, so no decision forms either.
        show_claim = visibility.may_view_claims(request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": "Review suggestion",
            "opts": self.model._meta,
            "review": review,
            "suggestion": review.suggestion,
            "statement": review.statement,
            "show_claim": show_claim,
            "show_links": visibility.may_view_links(request.user),
            "claim": review.claim if show_claim else None,
            "stances": Stance.choices,
            "can_review": self.has_review_permission(request)
            and review.suggestion.status == Suggestion.Status.PENDING,
        }
        return TemplateResponse(request, "admin/claims/suggestion/review.html", context)

    def _decide(self, request: HttpRequest, suggestion: Suggestion) -> HttpResponse:
        decision = request.POST.get("decision")
        if decision != "skip" and not (
            self.has_review_permission(request) and visibility.may_view_claims(request.user)
        ):
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
