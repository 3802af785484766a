"""List columns shared by the claims admins: texts in their own direction, and the columns of
statement–claim pairs (links and suggestions). Count columns are sources.admin.count_column."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.db.models import Model
from django.utils.safestring import SafeString

from claims.models import ClaimLink, Suggestion
from sources.bidi import bidi


def text_column(field: str, description: str) -> Callable[[admin.ModelAdmin, Model], SafeString]:
    """A list column for the row's `field`, in the row's language and direction, sortable."""

    @admin.display(description=description, ordering=field)
    def column(model_admin: admin.ModelAdmin, obj: Model) -> SafeString:
        return bidi(getattr(obj, field), lang=obj.language)

    return column


class PairColumns:
    """Statement, speaker, outlet and claim of a row that pairs a statement with a claim.

    The admin using it selects statement__speaker, statement__article__source and claim.
    """

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
