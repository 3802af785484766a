"""Admin actions that download CSV files: the export service behind the admin's lists."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict

from claims.http import csv_response
from claims.models import ExportRun, Statement, Suggestion
from claims.services import export


def _list_filters(request: HttpRequest) -> QueryDict:
    """The list's filters the selection was made under, by field (`claim__id__exact` is
    `claim`), as the export service names its filters."""
    filters = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        filters.setlist(name.split("__")[0], values)
    return filters


def _download(request: HttpRequest, kind: str, selected: QuerySet) -> HttpResponse | None:
    try:
        # The list does not offer a claim or stance filter to a user who may not view claims;
        # one typed into the URL is refused here, as `manage.py export` refuses it.
        export.filters_check(user=request.user, kind=kind, filters=_list_filters(request))
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
