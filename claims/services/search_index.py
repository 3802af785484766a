"""Rebuild statements' search documents.

Documents are written on save and bulk_create. Rebuild them when the shared normalisation
in sources/text.py changes (every stored key changes with it), when articles' titles are
edited (titles are part of their statements' documents), or for rows written by raw SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from claims.models import Statement
from sources.search import search_document


class SearchIndexError(Exception):
    """The rebuild cannot run as asked; the message names the argument at fault."""


def statements_reindex(
    *,
    only_missing: bool = False,
    article_ids: Iterable[int] | None = None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the search documents of statements (all, missing ones, or some articles')."""
    if batch_size < 1:
        raise SearchIndexError(f"batch_size must be at least 1, not {batch_size}")
    statements = Statement.objects.select_related("article").only("id", "text", "article__title")
    if only_missing:
        statements = statements.filter(search_document__isnull=True)
    if article_ids is not None:
        statements = statements.filter(article_id__in=list(article_ids))
    done, last_id = 0, 0
    while True:
        # Keyset batches: each one a short transaction, however many rows there are.
        batch = list(statements.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return done
        for statement in batch:
            statement.search_document = search_document(statement.text, statement.article.title)
        with transaction.atomic():
            Statement.objects.bulk_update(batch, ["search_document"])
        done += len(batch)
        last_id = batch[-1].id
        if progress is not None:
            progress(done)
