from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from claims.models import (
    Claim,
    ClaimLink,
    ClaimVariant,
    Speaker,
    SpeakerAlias,
    Stance,
    Statement,
    Suggestion,
    Topic,
)
from claims.services.claims import claim_save, claim_variant_save
from sources.bidi import BidiAdminMixin, bidi
from sources.text import normalise


class SpeakerAliasInline(BidiAdminMixin, admin.TabularInline):
    model = SpeakerAlias
    fields = ["name", "language"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(BidiAdminMixin, admin.ModelAdmin):
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Speaker]:
        # statement_count for the list column; aliases prefetched for alias_names.
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=Count("statements", distinct=True))
            .prefetch_related("aliases")
        )

    def get_search_results(self, request, queryset, search_term):
        # Also match aliases by spelling key, so مصطفیاف finds مصطفياف and the like.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = normalise(search_term)
        if key:
            queryset |= self.model.objects.filter(aliases__key__contains=key)
            may_have_duplicates = True
        return queryset, may_have_duplicates

    @admin.display(description="Aliases")
    def alias_names(self, obj: Speaker) -> str:
        return bidi(" · ".join(alias.name for alias in obj.aliases.all()), limit=100)

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, obj: Speaker) -> int:
        return obj.statement_count


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(BidiAdminMixin, admin.ModelAdmin):
    list_display = ["alias", "language", "speaker", "key"]
    list_filter = ["language"]
    list_select_related = ["speaker"]
    search_fields = ["name", "key", "speaker__name"]
    autocomplete_fields = ["speaker"]

    @admin.display(description="Alias", ordering="name")
    def alias(self, obj: SpeakerAlias) -> str:
        return bidi(obj.name, lang=obj.language)


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


@admin.register(Statement)
class StatementAdmin(BidiAdminMixin, admin.ModelAdmin):
    list_display = [
        "excerpt",
        "speaker",
        "speaker_role_text",
        "outlet",
        "language",
        "kind",
        "said_on",
    ]
    list_filter = ["kind", "language", "said_on", "speaker__is_confirmed", "article__source"]
    list_select_related = ["speaker", "article__source"]
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "article__url"]
    autocomplete_fields = ["speaker"]
    raw_id_fields = ["article"]
    readonly_fields = ["created_at"]
    date_hierarchy = "said_on"
    inlines = [ClaimLinkInline]

    @admin.display(description="Statement", ordering="text")
    def excerpt(self, obj: Statement) -> str:
        return bidi(obj.text, lang=obj.language)

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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "claim_count"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(description="Claims", ordering="claim_count")
    def claim_count(self, obj: Topic) -> int:
        return obj.claim_count


@admin.register(Claim)
class ClaimAdmin(BidiAdminMixin, admin.ModelAdmin):
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
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ClaimVariantInline, ClaimLinkInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        # Confirmed links per stance, for the list's at-a-glance columns.
        return (
            super()
            .get_queryset(request)
            .annotate(
                asserts_count=Count("links", filter=Q(links__stance=Stance.ASSERTS)),
                denies_count=Count("links", filter=Q(links__stance=Stance.DENIES)),
            )
        )

    def save_model(self, request: HttpRequest, obj: Claim, form, change: bool) -> None:
        # Through the service: a new claim is searched for in recent statements.
        claim_save(claim=obj)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not ClaimVariant:
            return super().save_formset(request, form, formset, change)
        for variant in formset.save(commit=False):
            claim_variant_save(variant=variant)
        for variant in formset.deleted_objects:
            variant.delete()

    @admin.display(description="Claim", ordering="text")
    def claim_text(self, obj: Claim) -> str:
        return bidi(obj.text, lang=obj.language)

    @admin.display(description="Asserts", ordering="asserts_count")
    def asserts_count(self, obj: Claim) -> int:
        return obj.asserts_count

    @admin.display(description="Denies", ordering="denies_count")
    def denies_count(self, obj: Claim) -> int:
        return obj.denies_count


@admin.register(ClaimVariant)
class ClaimVariantAdmin(BidiAdminMixin, admin.ModelAdmin):
    list_display = ["variant", "language", "claim"]
    list_filter = ["language"]
    list_select_related = ["claim"]
    search_fields = ["text", "claim__text"]
    raw_id_fields = ["claim"]

    def save_model(self, request: HttpRequest, obj: ClaimVariant, form, change: bool) -> None:
        claim_variant_save(variant=obj)

    @admin.display(description="Variant", ordering="text")
    def variant(self, obj: ClaimVariant) -> str:
        return bidi(obj.text, lang=obj.language)


@admin.register(ClaimLink)
class ClaimLinkAdmin(BidiAdminMixin, admin.ModelAdmin):
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
    list_select_related = ["statement__speaker", "claim", "confirmed_by"]
    search_fields = ["statement__text", "claim__text", "statement__speaker__name"]
    raw_id_fields = ["statement", "claim", "suggestion"]
    readonly_fields = ["confirmed_by", "confirmed_at"]

    def save_model(self, request: HttpRequest, obj: ClaimLink, form, change: bool) -> None:
        if not change:
            obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Statement", ordering="statement__text")
    def statement_text(self, obj: ClaimLink) -> str:
        return bidi(obj.statement.text, limit=90, lang=obj.statement.language)

    @admin.display(description="Speaker", ordering="statement__speaker__name")
    def speaker(self, obj: ClaimLink) -> str:
        return obj.statement.speaker.name

    @admin.display(description="Claim", ordering="claim__text")
    def claim_text(self, obj: ClaimLink) -> str:
        return bidi(obj.claim.text, limit=90, lang=obj.claim.language)


@admin.register(Suggestion)
class SuggestionAdmin(BidiAdminMixin, admin.ModelAdmin):
    list_display = [
        "statement_text",
        "claim_text",
        "score",
        "suggested_stance",
        "status",
        "created_at",
        "reviewed_by",
    ]
    list_filter = ["status", "suggested_stance", "method"]
    list_select_related = ["statement", "claim", "reviewed_by"]
    search_fields = ["statement__text", "claim__text"]
    raw_id_fields = ["statement", "claim"]
    readonly_fields = ["created_at", "reviewed_by", "reviewed_at"]

    @admin.display(description="Statement", ordering="statement__text")
    def statement_text(self, obj: Suggestion) -> str:
        return bidi(obj.statement.text, limit=90, lang=obj.statement.language)

    @admin.display(description="Claim", ordering="claim__text")
    def claim_text(self, obj: Suggestion) -> str:
        return bidi(obj.claim.text, limit=90, lang=obj.claim.language)
