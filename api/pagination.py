"""Cursor pagination on the primary key: no COUNT, no OFFSET, the same cost on page 1,000."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Newest stored first (`-id`), or oldest first with `order=oldest`.

    Ordered by a unique indexed key, so a cursor is one `id < x` condition walking the
    primary key index, and rows added while a client pages never shift or repeat a page.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"

    def get_ordering(self, request, queryset, view):
        return ("id",) if request.query_params.get("order") == "oldest" else ("-id",)
