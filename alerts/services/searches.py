"""Saved searches against newly stored statements: the search page's filter class decides.

Running a thousand saved searches one by one for every stored batch would cost a query
each. Instead one SQL joins the saved searches' cheap filters (language, speaker, outlet,
kind, and the words as a tsquery, copied into columns when the search is saved) with the
new statements only; the few (search, statement) pairs it leaves are then checked exactly
by StatementFilter, all of them in one UNION ALL query restricted to those statement ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import django_filters
from django.db import connection
from django.db.models import BigIntegerField, QuerySet, Value
from django.http import QueryDict

from alerts.models import Watch
from alerts.services import permissions
from alerts.services.watches import saved_search_query
from claims import visibility
from claims.filters import StatementFilter
from claims.models import Statement
from sources.models import Article, Source

_CANDIDATES = f"""
SELECT w.id, s.id, w.search_exact
FROM {Watch._meta.db_table} w
JOIN {Statement._meta.db_table} s ON s.id = ANY(%(ids)s)
JOIN {Article._meta.db_table} a ON a.id = s.article_id
WHERE w.kind = 'search' AND w.search_links = %(links)s
  AND (w.search_language = '' OR w.search_language = s.language)
  AND (w.search_speaker_id IS NULL OR w.search_speaker_id = s.speaker_id)
  AND (w.search_outlet_id IS NULL OR w.search_outlet_id = a.source_id)
  AND (w.search_kind = '' OR w.search_kind = s.kind)
  AND (w.search_tsquery = '' OR s.search_document @@ w.search_tsquery::tsquery)
"""


class Watcher(NamedTuple):
    """A watch as the event writer needs it: no model instance (and no user) per row."""

    pk: int
    user_id: int
    delivery: str


class SavedSearchFilter(StatementFilter):
    """The search page's StatementFilter, with the outlet choices read once per batch
    rather than once per saved search (its __init__ reads them from the database)."""

    def __init__(self, data: QueryDict, *, outlets: list[tuple[str, str]]) -> None:
        django_filters.FilterSet.__init__(self, data)
        self.filters["outlet"].extra["choices"] = outlets


def _candidates(
    statement_ids: Sequence[int], *, links: bool
) -> tuple[dict[int, list[int]], set[int]]:
    """({saved search: [statement ids its columns let through]}, the exact searches)."""
    pairs: dict[int, list[int]] = defaultdict(list)
    exact: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute(_CANDIDATES, {"ids": list(statement_ids), "links": links})
        for watch_id, statement_id, is_exact in cursor.fetchall():
            pairs[watch_id].append(statement_id)
            if is_exact:
                exact.add(watch_id)
    return pairs, exact


def saved_searches_matching(
    statement_ids: Sequence[int], *, links: bool
) -> list[tuple[Watcher, int]]:
    """(saved search, statement) for each new statement a saved search would list.

    `links`: only the searches that filter on claim or stance (called when links are
    confirmed: a new statement has none yet), else only those that do not.
    """
    if not statement_ids:
        return []
    pairs, exact = _candidates(statement_ids, links=links)
    if not pairs:
        return []
    # Plain rows, not models: a broad search makes hundreds of pairs per batch.
    watches = {
        pk: Watcher(pk, user_id, delivery)
        for pk, user_id, delivery in Watch.objects.filter(pk__in=list(pairs)).values_list(
            "pk", "user_id", "delivery"
        )
    }
    user_ids = {watch.user_id for watch in watches.values()}
    may_search = permissions.permitted(user_ids, permissions.SEARCH_PAGE)
    found = [
        (watches[watch_id], statement_id)
        for watch_id in exact
        if watches[watch_id].user_id in may_search
        for statement_id in pairs[watch_id]
    ]
    rest = [w for w in pairs if w not in exact and watches[w].user_id in may_search]
    if not rest:
        return found
    queries = dict(Watch.objects.filter(pk__in=rest).values_list("pk", "query"))
    may_links = permissions.permitted(user_ids, visibility.LINK_PERMISSIONS)
    outlets = [("", "---------")] + [
        (str(pk), name) for pk, name in Source.objects.values_list("id", "name")
    ]
    branches: list[QuerySet] = []
    for watch_id in rest:
        watch, ids = watches[watch_id], pairs[watch_id]
        # As on the search page: the filters the user's role may not use are ignored
        # (`may_view_links` given: the user is not needed).
        query = saved_search_query(
            queries[watch_id], user=None, may_view_links=watch.user_id in may_links
        )
        data = QueryDict(query)
        filterset = SavedSearchFilter(data, outlets=outlets)
        filterset.queryset = Statement.objects.filter(pk__in=ids)
        if not filterset.is_valid():
            continue  # a filter the page would refuse (an outlet since deleted)
        branches.append(
            filterset.qs.order_by()
            .annotate(watch_id=Value(watch_id, output_field=BigIntegerField()))
            .values_list("pk", "watch_id")
        )
    if not branches:
        return found
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    # Model columns come before annotations in each branch's SELECT: (pk, watch_id).
    return found + [(watches[watch_id], statement_id) for statement_id, watch_id in rows]
