"""Admin actions that download CSV files: the export service behind the admin's lists."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from claims.http import csv_response
from claims.models import ExportRun, Statement, Suggestion
from claims.services import export


def _download(request: HttpRequest, kind: str, selected: QuerySet) -> HttpResponse | None:
    try:
        stream = export.export_csv(kind=kind, user=request.user, selected=selected)
    except export.ExportError as exc:
        messages.error(request, str(exc))
        return None
    return csv_response(stream, kind=kind)


@admin.action(description="Export selected statements to CSV", permissions=["view"])
def export_statements_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Statement]
) -> HttpResponse | None:
    return _download(request, ExportRun.Kind.STATEMENTS, queryset)


@admin.action(description="Export selected suggestions to CSV", permissions=["view"])
def export_suggestions_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Suggestion]
) -> HttpResponse | None:
    return _download(request, ExportRun.Kind.SUGGESTIONS, queryset)
