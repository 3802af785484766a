from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseModelFormSet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

# Registers the claims-side ArticleAdmin in place of sources' one. It imports sources.admin
# itself before replacing its registration, so this import may stand anywhere.
from claims import admin_articles  # noqa: F401
from claims.admin_columns import PairColumns, text_column
from claims.admin_export import export_statements_csv
from claims.charts import weekly_stance_chart
from claims.filters import LANGUAGE_CHOICES
from claims.models import (
    Claim,
    ClaimLink,
    ClaimVariant,
    ExportRun,
    Speaker,
    SpeakerAlias,
    Statement,
    Suggestion,
    Topic,
)
from claims.paginators import EstimatedCountPaginator
from claims.review_admin import SuggestionAdmin
from claims.selectors import (
    claim_links_in_time_order,
    claims_with_counts,
    speakers_with_alias,
    speakers_with_statement_counts,
    topics_with_claim_counts,
)
from claims.services.claims import claim_save, claim_variant_save
from claims.services.links import claim_link_save
from claims.services.speakers import SpeakerError, speaker_confirm, speaker_merge
from claims.visibility import may_view_link_counts
from sources.admin import LimitedSearch, count_column
from sources.bidi import BidiAdminMixin, bidi
from sources.search import documents_matching
from sources.selectors import source_countries


class SpeakerAliasInline(BidiAdminMixin, admin.TabularInline):
    model = SpeakerAlias
    fields = ["name", "language"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(LimitedSearch, BidiAdminMixin, SimpleHistoryAdmin):
    """Speakers, with the unconfirmed ones extraction created: confirm them or merge duplicates."""

    list_display = [
        "name",
        "kind",
        "role",
        "country",
        "alias_names",
        "statement_count",
        "is_confirmed",
    ]
    list_filter = ["is_confirmed", "kind", "country"]
    search_fields = ["name", "role", "organisation", "wikidata_id", "aliases__name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SpeakerAliasInline]
    actions = ["confirm_selected", "merge_selected"]

    statement_count = count_column("statement_count", "Statements")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Speaker]:
        # statement_count for the list column; aliases prefetched for alias_names.
        speakers = speakers_with_statement_counts(speakers=super().get_queryset(request))
        return speakers.prefetch_related("aliases")

    def get_search_results(self, request, queryset, search_term):
        # Also match aliases by spelling key, so مصطفیاف finds مصطفياف and the like.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_alias = speakers_with_alias(text=search_term)
        if by_alias is not None:
            queryset |= by_alias
            may_have_duplicates = True
        return queryset, may_have_duplicates

    @admin.display(description="Aliases")
    def alias_names(self, obj: Speaker) -> str:
        return bidi(" · ".join(alias.name for alias in obj.aliases.all()), limit=100)

    @admin.action(description="Confirm selected speakers", permissions=["change"])
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[Speaker]) -> None:
        confirmed = speaker_confirm(speakers=queryset.only("pk"), user=request.user)
        self.message_user(request, f"{confirmed} speakers confirmed.", messages.SUCCESS)

    @admin.action(description="Merge selected speakers…", permissions=["change"])
    def merge_selected(
        self, request: HttpRequest, queryset: QuerySet[Speaker]
    ) -> TemplateResponse | None:
        """Ask which speaker to keep, then merge the others into it (POST with `keep`)."""
        # statement_count comes from get_queryset: the page lists it to help choose.
        speakers = list(queryset.order_by("-is_confirmed", "-statement_count", "pk"))
        if len(speakers) < 2:
            self.message_user(request, "Select two or more speakers to merge.", messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            target = next((s for s in speakers if str(s.pk) == request.POST.get("keep")), None)
            if target is None:
                self.message_user(request, "Choose the speaker to keep.", messages.ERROR)
            else:
                others = [s for s in speakers if s.pk != target.pk]
                try:
                    speaker_merge(target=target, others=others, user=request.user)
                except SpeakerError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    return None
                moved = sum(s.statement_count for s in others)
                self.message_user(
                    request,
                    f"Merged {len(others)} speakers into #{target.pk} {target.name}; "
                    f"{moved} statements moved.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "opts": self.opts,
            "speakers": speakers,
            "suggested": speakers[0],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/claims/speaker/merge_selected.html", context)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(LimitedSearch, BidiAdminMixin, admin.ModelAdmin):
    list_display = ["alias", "language", "speaker", "key"]
    list_filter = ["language"]
    list_select_related = ["speaker"]
    search_fields = ["name", "key", "speaker__name"]
    autocomplete_fields = ["speaker"]

    alias = text_column("name", "Alias")


class ClaimLinkInline(BidiAdminMixin, admin.TabularInline):
    model = ClaimLink
    fields = ["statement", "claim", "stance", "origin", "confirmed_by", "confirmed_at"]
    readonly_fields = ["origin", "confirmed_by", "confirmed_at"]
    raw_id_fields = ["statement", "claim"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimLink]:
        return (
            super()
            .get_queryset(request)
            .select_related("statement__speaker", "claim", "confirmed_by")
        )


def _save_each(formset: BaseModelFormSet, save: Callable[[models.Model], object]) -> None:
    """Save an inline's new and changed rows through `save` (a service); delete its deleted."""
    for row in formset.save(commit=False):
        save(row)
    for row in formset.deleted_objects:
        row.delete()


class ClaimLinkInlineSaving:
    """For an admin showing ClaimLinkInline: its links are saved through claim_link_save,
    so a link added there names the analyst who made it."""

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not ClaimLink:
            return super().save_formset(request, form, formset, change)
        _save_each(formset, lambda link: claim_link_save(link=link, user=request.user))


class StatementLanguageFilter(admin.SimpleListFilter):
    # Fixed choices: the default filter would run SELECT DISTINCT language over every row.
    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return LANGUAGE_CHOICES

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class StatementOutletCountryFilter(admin.SimpleListFilter):
    # Countries read from the few hundred sources, not from a million statements; a list
    # of every outlet would put hundreds of links in the sidebar (the search page has it).
    title = "outlet country"
    parameter_name = "outlet_country"

    def lookups(self, request, model_admin):
        return [(country, country) for country in source_countries()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(article__source__country=self.value())
        return queryset


@admin.register(Statement)
class StatementAdmin(LimitedSearch, ClaimLinkInlineSaving, BidiAdminMixin, admin.ModelAdmin):
    """Built for a million rows: no exact COUNT, no DISTINCT scans, full-text search."""

    list_display = [
        "excerpt",
        "speaker",
        "speaker_role_text",
        "outlet",
        "language",
        "kind",
        "said_on",
    ]
    list_filter = [
        "kind",
        StatementLanguageFilter,
        "said_on",
        "speaker__is_confirmed",
        StatementOutletCountryFilter,
    ]
    list_select_related = ["speaker", "article__source"]
    # Searched through the full-text index (get_search_results), not LIKE over every row.
    search_fields = ["text"]
    search_help_text = 'Words in any spelling; "quoted words" as a phrase; -word excludes.'
    autocomplete_fields = ["speaker"]
    raw_id_fields = ["article"]
    readonly_fields = ["created_at"]
    # Newest first through the primary key; date_hierarchy is left out on purpose: it runs
    # SELECT DISTINCT over the dates of every row on each page view.
    ordering = ["-id"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    actions = [export_statements_csv]
    inlines = [ClaimLinkInline]

    excerpt = text_column("text", "Statement")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Statement]:
        return super().get_queryset(request).defer("search_document")

    def get_search_results(self, request, queryset, search_term):
        return documents_matching(queryset, search_term), False

    @admin.display(description="Role then", ordering="speaker_role")
    def speaker_role_text(self, obj: Statement) -> str:
        return bidi(obj.speaker_role, limit=60)

    @admin.display(description="Outlet", ordering="article__source__name")
    def outlet(self, obj: Statement) -> str:
        return obj.article.source.name


class ClaimVariantInline(BidiAdminMixin, admin.TabularInline):
    model = ClaimVariant
    fields = ["language", "text"]
    extra = 1
    # A variant is one sentence: a two-line box keeps a claim's variants on one screen.
    formfield_overrides = {
        **BidiAdminMixin.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"dir": "auto", "rows": 2, "cols": 80})},
    }


@admin.register(Topic)
class TopicAdmin(LimitedSearch, admin.ModelAdmin):
    list_display = ["name", "claim_count"]
    search_fields = ["name"]

    claim_count = count_column("claim_count", "Claims")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return topics_with_claim_counts(topics=super().get_queryset(request))


@admin.register(Claim)
class ClaimAdmin(LimitedSearch, ClaimLinkInlineSaving, BidiAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "claim_text",
        "language",
        "status",
        "first_seen_at",
        "asserts_count",
        "denies_count",
    ]
    list_filter = ["status", "language", "topics"]
    search_fields = ["text", "gloss_en", "external_id", "variants__text"]
    filter_horizontal = ["topics"]
    readonly_fields = ["created_at", "updated_at", "weekly_chart", "timeline"]
    fieldsets = [
        (None, {"fields": ["text", "language", "gloss_en", "status", "topics"]}),
        (
            "Verdict (published as ClaimReview)",
            {
                "fields": [
                    "verdict",
                    "verdict_rating",
                    "review_url",
                    "review_date",
                    "reviewer",
                    "reviewer_url",
                ]
            },
        ),
        ("History at a glance", {"fields": ["weekly_chart", "timeline"]}),
        (
            "Record",
            {
                "fields": ["external_id", "first_seen_at", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [ClaimVariantInline, ClaimLinkInline]

    claim_text = text_column("text", "Claim")
    asserts_count = count_column("asserts_count", "Asserts")
    denies_count = count_column("denies_count", "Denies")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        # Linked statements per stance for the list's columns, counted as the claims report
        # counts them; ModelAdmin.get_queryset's only other step is the admin's ordering.
        claims = claims_with_counts()
        ordering = self.get_ordering(request)
        return claims.order_by(*ordering) if ordering else claims

    def get_list_display(self, request: HttpRequest) -> list[str]:
        columns = super().get_list_display(request)
        if may_view_link_counts(request.user):
            return columns
        # Counts per stance are read off the links (claims.visibility).
        return [c for c in columns if c not in {"asserts_count", "denies_count"}]

    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_view_link_counts(request.user):
            return fieldsets
        return [(name, options) for name, options in fieldsets if name != "History at a glance"]

    def save_model(self, request: HttpRequest, obj: Claim, form, change: bool) -> None:
        # Through the service: a new claim is searched for in recent statements.
        claim_save(claim=obj)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not ClaimVariant:
            return super().save_formset(request, form, formset, change)
        _save_each(formset, lambda variant: claim_variant_save(variant=variant))

    def _history(self, obj: Claim) -> list[ClaimLink]:
        # One query for both the chart and the timeline of the change page.
        if getattr(obj, "_history_links", None) is None:
            obj._history_links = list(claim_links_in_time_order(claim=obj))
        return obj._history_links

    @admin.display(description="Statements per week")
    def weekly_chart(self, obj: Claim) -> SafeString:
        return weekly_stance_chart([(link.said, link.stance) for link in self._history(obj)])

    @admin.display(description="Every linked statement, in time order")
    def timeline(self, obj: Claim) -> SafeString:
        return render_to_string("admin/claims/claim/timeline.html", {"links": self._history(obj)})


@admin.register(ClaimVariant)
class ClaimVariantAdmin(LimitedSearch, BidiAdminMixin, SimpleHistoryAdmin):
    list_display = ["variant", "language", "claim"]
    list_filter = ["language"]
    list_select_related = ["claim"]
    search_fields = ["text", "claim__text"]
    raw_id_fields = ["claim"]

    variant = text_column("text", "Variant")

    def save_model(self, request: HttpRequest, obj: ClaimVariant, form, change: bool) -> None:
        claim_variant_save(variant=obj)


@admin.register(ClaimLink)
class ClaimLinkAdmin(LimitedSearch, PairColumns, BidiAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "statement_text",
        "speaker",
        "stance",
        "claim_text",
        "origin",
        "confirmed_by",
        "confirmed_at",
    ]
    list_filter = ["stance", "origin", "confirmed_at"]
    list_select_related = [
        "statement__speaker",
        "statement__article__source",
        "claim",
        "confirmed_by",
    ]
    search_fields = ["statement__text", "claim__text", "statement__speaker__name"]
    raw_id_fields = ["statement", "claim", "suggestion"]
    # Set by claim_link_save: a link made here is the analyst's, confirmed by them.
    readonly_fields = ["origin", "confirmed_by", "confirmed_at"]

    def save_model(self, request: HttpRequest, obj: ClaimLink, form, change: bool) -> None:
        claim_link_save(link=obj, user=request.user)


admin.site.register(Suggestion, SuggestionAdmin)


@admin.register(ExportRun)
class ExportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "user", "status", "rows", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["user"]
    readonly_fields = [field.name for field in ExportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
