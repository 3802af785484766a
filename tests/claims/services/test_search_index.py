"""reindex_search rebuilds documents after a title edit or a raw write."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from claims.models import Statement
from claims.selectors import statement_list
from claims.services.search_index import statements_reindex
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


def test_a_statement_written_without_a_document_becomes_searchable() -> None:
    statement = StatementFactory(text="pipeline deal")
    Statement.objects.filter(pk=statement.pk).update(search_document=None)
    assert not statement_list(filters={"q": "pipeline"}).exists()
    assert statements_reindex(only_missing=True, batch_size=1) == 1
    assert list(statement_list(filters={"q": "pipeline"})) == [statement]


def test_an_edited_title_is_found_after_reindexing_its_article() -> None:
    statement = StatementFactory()
    statement.article.title = "Caspian summit"
    statement.article.save()
    assert not statement_list(filters={"q": "caspian"}).exists()
    call_command("reindex_search", "--article", str(statement.article_id))
    assert list(statement_list(filters={"q": "caspian"})) == [statement]


def test_a_batch_size_of_zero_is_refused() -> None:
    with pytest.raises(CommandError, match="batch_size must be at least 1, not 0"):
        call_command("reindex_search", "--batch-size", "0")
