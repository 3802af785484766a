"""Admin actions that download CSV files: the export service behind the admin's lists."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from claims.models import ExportRun, Statement, Suggestion
from claims.services import export
from claims.views import csv_response


def _download(request: HttpRequest, kind: str, rows: QuerySet, columns: list[str]):
    try:
        stream = export.csv_stream(kind=kind, rows=rows, columns=columns, user=request.user)
    except export.ExportError as exc:
        messages.error(request, str(exc))
        return None
    return csv_response(stream, kind=kind)


@admin.action(description="Export selected statements to CSV", permissions=["view"])
def export_statements_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Statement]
) -> HttpResponse | None:
    rows = export.statements_rows(statements=queryset, user=request.user)
    return _download(request, ExportRun.Kind.STATEMENTS, rows, export.STATEMENT_COLUMNS)


@admin.action(description="Export selected suggestions to CSV", permissions=["view"])
def export_suggestions_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Suggestion]
) -> HttpResponse | None:
    rows = export.suggestions_rows(suggestions=queryset)
    return _download(request, ExportRun.Kind.SUGGESTIONS, rows, export.SUGGESTION_COLUMNS)
