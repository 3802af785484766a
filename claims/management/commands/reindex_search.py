"""python manage.py reindex_search [--missing-only] [--article ID ...]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.services.search_index import SearchIndexError, statements_reindex


class Command(BaseCommand):
    help = "Rebuild statements' search documents (after a change to sources/text.py)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--missing-only", action="store_true")
        parser.add_argument("--article", type=int, action="append", dest="articles")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options) -> None:
        try:
            done = statements_reindex(
                only_missing=options["missing_only"],
                article_ids=options["articles"],
                batch_size=options["batch_size"],
                progress=lambda n: (
                    self.stdout.write(f"{n:,} statements") if n % 100_000 == 0 else None
                ),
            )
        except SearchIndexError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"rebuilt the search documents of {done:,} statements")
