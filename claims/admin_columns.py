"""List columns shared by the claims admins: texts in their own direction, and the columns of
statement–claim pairs (links and suggestions). Count columns are sources.admin.count_column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.safestring import SafeString

from claims import visibility
from claims.models import ClaimLink, Suggestion
from sources.bidi import bidi


def text_column(field: str, description: str) -> Callable[[admin.ModelAdmin, Model], SafeString]:
    """A list column for the row's `field`, in the row's language and direction, sortable."""

    @admin.display(description=description, ordering=field)
    def column(model_admin: admin.ModelAdmin, obj: Model) -> SafeString:
        return bidi(getattr(obj, field), lang=obj.language)

    return column


def _field(item: Any) -> str:
    """The field a list_display, list_filter or search_fields entry is about."""
    if isinstance(item, tuple | list):
        item = item[0]
    if isinstance(item, type):  # a SimpleListFilter
        item = item.parameter_name
    return str(item).lstrip("^=@").split("__")[0]


class PairColumns:
    """Statement, speaker, outlet and claim of a row that pairs a statement with a claim.

    The admin using it selects statement__speaker, statement__article__source and claim.
    A user who may not view claims (claims.visibility) gets no claim column, no filter or
    search by claim and no suggested stance: the same rule as the suggestions CSV.
    """

    CLAIM_FIELDS = frozenset({"claim", "claim_id", "claim_text", "suggested_stance"})

    def _without_claims(self, request: HttpRequest, items: Any) -> Any:
        if visibility.may_view_claims(request.user):
            return items
        return [item for item in items if _field(item) not in self.CLAIM_FIELDS]

    def get_list_display(self, request: HttpRequest) -> Any:
        return self._without_claims(request, super().get_list_display(request))

    def get_list_filter(self, request: HttpRequest) -> Any:
        return self._without_claims(request, super().get_list_filter(request))

    def get_search_fields(self, request: HttpRequest) -> Any:
        return self._without_claims(request, super().get_search_fields(request))

    @admin.display(description="Statement", ordering="statement__text")
    def statement_text(self, obj: ClaimLink | Suggestion) -> str:
        return bidi(obj.statement.text, limit=110, lang=obj.statement.language)

    @admin.display(description="Speaker", ordering="statement__speaker__name")
    def speaker(self, obj: ClaimLink | Suggestion) -> str:
        return obj.statement.speaker.name

    @admin.display(description="Outlet", ordering="statement__article__source__name")
    def outlet(self, obj: ClaimLink | Suggestion) -> str:
        return obj.statement.article.source.name

    @admin.display(description="Claim", ordering="claim__text")
    def claim_text(self, obj: ClaimLink | Suggestion) -> str:
        return bidi(obj.claim.text, limit=90, lang=obj.claim.language)
