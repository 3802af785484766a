"""CSV exports of statements, claims and suggestions, streamed straight from PostgreSQL.

Every route (the Export CSV buttons, the admin's actions, `manage.py export`) calls
`export_csv`, which checks the user's permissions, selects the rows (the same FilterSets and
selectors as the pages, or the admin's selection) and records the run as an ExportRun.

The ORM builds the query, and PostgreSQL's own `COPY (query) TO STDOUT (FORMAT csv)` writes
the rows: nothing is held in memory but one chunk, and Python never touches a row. Formula
neutralisation happens in the query, so it is the same for every route.

Format: UTF-8 with a byte-order mark (so spreadsheet programs read Urdu as Unicode), one
header row, fields quoted only when they hold a comma, a quote or a line break, rows ending
in LF, empty for no value, dates as YYYY-MM-DD, times as UTC ISO 8601 (2026-11-27T10:00:00Z).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import CharField, F, Func, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from claims import visibility
from claims.filters import ClaimFilter, StatementFilter, SuggestionFilter, link_condition
from claims.models import Claim, ExportRun, Statement, Suggestion
from claims.selectors import claim_list, statement_list, suggestion_list

BOM = "\ufeff".encode()
CHUNK_BYTES = 256 * 1024

STATEMENT_COLUMNS = [
    "statement_id",
    "said_on",
    "speaker",
    "speaker_role",
    "source",
    "article_url",
    "language",
    "kind",
    "text",
    "claim_id",
    "claim",
    "stance",
    "link_status",
    "link_origin",
    "confirmed_at",
]
CLAIM_COLUMNS = [
    "claim_id",
    "external_id",
    "text",
    "language",
    "status",
    "first_seen",
    "statements",
    "asserts",
    "denies",
    "questions",
    "mentions",
    "gloss_en",
]
SUGGESTION_COLUMNS = [
    "suggestion_id",
    "created_at",
    "statement_id",
    "article_url",
    "speaker",
    "language",
    "text",
    "claim_id",
    "claim",
    "score",
    "suggested_stance",
    "status",
    "method",
    "reviewed_at",
]

COLUMNS = {
    ExportRun.Kind.STATEMENTS: STATEMENT_COLUMNS,
    ExportRun.Kind.CLAIMS: CLAIM_COLUMNS,
    ExportRun.Kind.SUGGESTIONS: SUGGESTION_COLUMNS,
}
# The URL parameters each export accepts: those of the page it exports.
FILTERSETS = {
    ExportRun.Kind.STATEMENTS: StatementFilter,
    ExportRun.Kind.CLAIMS: ClaimFilter,
    ExportRun.Kind.SUGGESTIONS: SuggestionFilter,
}
# What a user must be allowed to view (Django model permissions) to export each kind at all.
# Which of its columns and filters they get is claims.visibility's rule.
REQUIRED_PERMISSIONS = {
    ExportRun.Kind.STATEMENTS: ["claims.view_statement"],
    ExportRun.Kind.CLAIMS: ["claims.view_claim"],
    ExportRun.Kind.SUGGESTIONS: ["claims.view_suggestion", "claims.view_statement"],
}


class ExportError(Exception):
    """An export cannot run as asked; the message names the kind, user or filter at fault."""


class Neutralised(Func):
    """A text cell safe to open in a spreadsheet (OWASP's CSV injection rule).

    A cell starting with = + - @, tab or carriage return is read as a formula by Excel,
    LibreOffice and Google Sheets; a leading apostrophe makes it text. An empty string
    becomes NULL, so "no value" is written the same way (an empty field) in every column.
    """

    template = (
        "CASE WHEN left(%(expressions)s, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        "THEN '''' || %(expressions)s ELSE NULLIF(%(expressions)s, '') END"
    )
    output_field = CharField()


class IsoDate(Func):
    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    output_field = CharField()


class IsoUtc(Func):
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    output_field = CharField()


def _cell(column: str) -> Neutralised:
    # The column is named twice in the CASE; only plain columns (no parameters) may go in.
    return Neutralised(F(column))


def _code(column: str) -> Func:
    # A code (a language) cannot start a formula, but an empty one is still no value.
    return Func(F(column), template="NULLIF(%(expressions)s, '')", output_field=CharField())


def export_check(*, user: Any, kind: str) -> None:
    """Raise ExportError unless `user` may export `kind`; None is the shell, which may."""
    if user is None:  # whoever runs manage.py has the database already
        return
    if isinstance(user, AnonymousUser):
        raise ExportError(f"{kind} export needs a signed-in user")
    if not (user.is_active and user.has_perms(REQUIRED_PERMISSIONS[kind])):
        raise ExportError(
            f"user {user.get_username()!r} may not view {kind}, so cannot export them"
        )


def columns_for(*, user: Any, kind: str) -> list[str]:
    """The columns of `user`'s `kind` file: those of COLUMNS they may see, in that order."""
    return visibility.visible_columns(user=user, kind=kind, columns=COLUMNS[kind])


def filters_check(*, user: Any, kind: str, filters: QueryDict) -> None:
    """Raise ExportError if `filters` select by a claim or stance that `user` may not view.

    The pages ignore such a parameter (they do not offer the filter); an export refuses it,
    so that nobody takes a file filtered on nothing for the one they asked for.
    """
    for name in visibility.hidden_filters(user=user, kind=kind):
        if any(value != "" for value in filters.getlist(name)):
            needs = " and ".join(visibility.RESTRICTED_FILTERS[kind][name])
            raise ExportError(
                f"user {user.get_username()!r} may not filter {kind} by {name} "
                f"(that needs the view permissions {needs})"
            )


def export_csv(
    *,
    kind: str,
    user: Any,
    filters: QueryDict | None = None,
    selected: QuerySet | None = None,
    on_row_count: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """The CSV file of a `kind` export, streamed as `csv_stream` does.

    The rows are those the page's URL parameters `filters` select (the Export CSV buttons,
    `manage.py export`), or the admin's `selected` statements or suggestions. Raises
    ExportError before reading anything if `user` may not export them, and
    `claims.selectors.InvalidFilters` for filters that do not validate.
    """
    export_check(user=user, kind=kind)
    filters = filters if filters is not None else QueryDict()
    filters_check(user=user, kind=kind, filters=filters)
    if selected is None:
        rows = _matching_rows(kind=kind, filters=filters, user=user)
    else:
        rows = _selected_rows(kind=kind, selected=selected, user=user)
    return csv_stream(
        kind=kind,
        rows=rows,
        user=user,
        filters=dict(filters.lists()),
        on_row_count=on_row_count,
    )


def _matching_rows(*, kind: str, filters: QueryDict, user: Any) -> QuerySet:
    if kind == ExportRun.Kind.STATEMENTS:
        # The export has every match in statement order; "best match" ranks only a window.
        params = filters.copy()
        params.pop("order", None)
        filterset = StatementFilter(params)
        statements = statement_list(filters=filterset)
        data = filterset.form.cleaned_data
        return statements_rows(
            statements=statements, user=user, claim=data.get("claim"), stance=data.get("stance")
        )
    if kind == ExportRun.Kind.CLAIMS:
        return claims_rows(claims=claim_list(filters=filters), user=user)
    return suggestions_rows(suggestions=suggestion_list(filters=filters), user=user)


def _selected_rows(*, kind: str, selected: QuerySet, user: Any) -> QuerySet:
    if kind == ExportRun.Kind.STATEMENTS:
        return statements_rows(statements=selected, user=user)
    if kind == ExportRun.Kind.SUGGESTIONS:
        return suggestions_rows(suggestions=selected, user=user)
    # The claims export reads the counts per stance that only `claim_list` annotates.
    raise ExportError(f"{kind} are exported by their filters, not from a selection")


def _values(rows: QuerySet, *, kind: str, user: Any, expressions: dict[str, Any]) -> QuerySet:
    """`rows` as the tuples of `user`'s `kind` file: the expressions of their columns."""
    return rows.values_list(*[expressions[c] for c in columns_for(user=user, kind=kind)])


def statements_rows(
    *, statements: QuerySet[Statement], user: Any = None, claim: Any = None, stance: str = ""
) -> QuerySet:
    """One row per statement–claim link, and one with empty claim columns for an unlinked one.

    With a claim or stance filter only the links that match it are listed, so a claim's
    export holds that claim's rows, not every other claim its statements touch. For a user
    who may not view links the file has no claim columns and one row per statement.
    """
    rows = statements.order_by()
    expressions: dict[str, Any] = {
        "statement_id": "id",
        "said_on": IsoDate(F("said_on")),
        "speaker": _cell("speaker__name"),
        "speaker_role": _cell("speaker_role"),
        "source": _cell("article__source__name"),
        "article_url": _cell("article__url"),
        "language": _code("language"),
        "kind": "kind",
        "text": _cell("text"),
    }
    order = ["id"]
    if visibility.may_view_links(user):
        condition = link_condition(claim=claim, stance=stance)
        if condition is not None:
            # Every statement here has a matching link (the filter said so): joining through
            # the matching ones only leaves out the statement's links to other claims.
            rows = rows.filter(Q(*[(f"links__{key}", value) for key, value in condition.children]))
        expressions.update(
            claim_id=F("links__claim_id"),
            claim=_cell("links__claim__text"),
            stance=F("links__stance"),
            link_status=Func(
                F("links__id"),
                template="CASE WHEN %(expressions)s IS NULL THEN NULL ELSE 'confirmed' END",
                output_field=CharField(),
            ),
            link_origin=F("links__origin"),
            confirmed_at=IsoUtc(F("links__confirmed_at")),
        )
        order.append("links__claim_id")
    return _values(
        rows, kind=ExportRun.Kind.STATEMENTS, user=user, expressions=expressions
    ).order_by(*order)


def claims_rows(*, claims: QuerySet[Claim], user: Any = None) -> QuerySet:
    """One row per claim with its statement counts (the queryset from `claim_list`)."""
    expressions = {
        "claim_id": "id",
        "external_id": _cell("external_id"),
        "text": _cell("text"),
        "language": _code("language"),
        "status": "status",
        "first_seen": IsoUtc(F("first_seen_at")),
        "statements": "statement_count",
        "asserts": "asserts_count",
        "denies": "denies_count",
        "questions": "questions_count",
        "mentions": "mentions_count",
        "gloss_en": _cell("gloss_en"),
    }
    return _values(claims, kind=ExportRun.Kind.CLAIMS, user=user, expressions=expressions)


def suggestions_rows(*, suggestions: QuerySet[Suggestion], user: Any = None) -> QuerySet:
    expressions = {
        "suggestion_id": "id",
        "created_at": IsoUtc(F("created_at")),
        "statement_id": "statement_id",
        "article_url": _cell("statement__article__url"),
        "speaker": _cell("statement__speaker__name"),
        "language": _code("statement__language"),
        "text": _cell("statement__text"),
        "claim_id": "claim_id",
        "claim": _cell("claim__text"),
        "score": "score",
        "suggested_stance": "suggested_stance",
        "status": "status",
        "method": _cell("method"),
        "reviewed_at": IsoUtc(F("reviewed_at")),
    }
    rows = _values(suggestions, kind=ExportRun.Kind.SUGGESTIONS, user=user, expressions=expressions)
    return rows.order_by("-created_at", "-id")


def header_line(columns: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(columns)
    return out.getvalue().encode()


def copy_sql(rows: QuerySet) -> tuple[str, tuple[Any, ...]]:
    """The `COPY ... TO STDOUT` statement for `rows`, with its parameters."""
    sql, params = rows.query.sql_with_params()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params


def csv_stream(
    *,
    kind: str,
    rows: QuerySet,
    user: Any = None,
    filters: dict[str, Any] | None = None,
    on_row_count: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """Yield the CSV file of `rows` in chunks of about CHUNK_BYTES; record the run.

    `user` is not checked here: `export_csv` checks before it selects the rows; the header
    lists the columns `user` may see, as the rows do. The ExportRun
    row says how it ended, including a client that went away mid-download.
    """
    sql, params = copy_sql(rows)
    return _stream(
        kind=kind,
        sql=sql,
        params=params,
        header=header_line(columns_for(user=user, kind=kind)),
        user=user,
        filters=filters or {},
        on_row_count=on_row_count,
    )


def _stream(
    *,
    kind: str,
    sql: str,
    params: tuple[Any, ...],
    header: bytes,
    user: Any,
    filters: dict[str, Any],
    on_row_count: Callable[[int], None] | None,
) -> Iterator[bytes]:
    run = ExportRun.objects.create(kind=kind, user=user, filters=filters)
    status, error, rows = ExportRun.Status.FAILED, "", 0
    try:
        buffer = bytearray(BOM + header)
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with cursor.copy(sql, params) as copy:
                for data in copy:
                    buffer += data
                    if len(buffer) >= CHUNK_BYTES:
                        yield bytes(buffer)
                        buffer.clear()
            rows = max(cursor.rowcount, 0)
        if buffer:
            yield bytes(buffer)
        status = ExportRun.Status.FINISHED
    except GeneratorExit:
        error = "the client stopped reading before the end"
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        ExportRun.objects.filter(pk=run.pk).update(
            status=status, rows=rows, error=error, finished_at=timezone.now()
        )
        if on_row_count is not None:
            on_row_count(rows)
