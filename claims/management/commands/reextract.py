from __future__ import annotations

import logging
import re
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.management.commands.ingest import Progress
from claims.selectors import articles_for_reextraction
from claims.services.queueing import articles_reextract_queue
from claims.services.reextraction import article_reextract
from sources.models import LANGUAGE_CODE_RE

logger = logging.getLogger(__name__)


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r} is not a date: use YYYY-MM-DD") from None


def _language(value: str) -> str:
    if not re.fullmatch(LANGUAGE_CODE_RE, value):
        raise CommandError(f"--language {value!r} is not a language code such as 'ur' or 'az'")
    return value


class Command(BaseCommand):
    help = (
        "Extract statements again from processed (and failed) articles after speakers or rules "
        "changed. Statements with a confirmed link or a reviewed suggestion are kept as they "
        "are. Runs here and links new statements here, or queues one task per article with "
        "--queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="Articles published on or after YYYY-MM-DD")
        parser.add_argument("--language", help="Articles in this language (az includes az-Latn)")
        parser.add_argument(
            "--article", type=int, nargs="+", dest="article_ids", help="Article ids"
        )
        parser.add_argument(
            "--queue", action="store_true", help="Queue tasks for the Celery workers instead"
        )

    def handle(self, *args, since, language, article_ids, queue: bool, **options) -> None:
        articles = articles_for_reextraction(
            since=_since(since) if since else None,
            language=_language(language) if language else None,
            ids=article_ids,
        )
        ids = list(articles.values_list("pk", flat=True))
        if article_ids:
            skipped = sorted(set(article_ids) - set(ids))
            if skipped:
                self.stderr.write(
                    f"skipped (missing, pending or a duplicate): {', '.join(map(str, skipped))}"
                )
        if queue:
            queued = articles_reextract_queue(ids)
            self.stdout.write(f"{queued} articles queued for re-extraction")
            return
        self._run_here(ids)

    def _run_here(self, ids: list[int]) -> None:
        totals = dict.fromkeys(("kept", "updated", "added", "removed"), 0)
        failed: list[int] = []
        progress = Progress(sys.stderr, "re-extracting")
        for done, article_id in enumerate(ids, start=1):
            try:
                result = article_reextract(article_id=article_id, link_in_process=True)
            except Exception as exc:
                # One article's failure (a rule that crashes on its text) must not stop the
                # rest; its transaction rolled back, so it is as it was.
                logger.exception("re-extraction failed for article %s", article_id)
                self.stderr.write(f"article {article_id}: {exc.__class__.__name__}: {exc}")
                failed.append(article_id)
                continue
            if result is not None:
                for name in totals:
                    totals[name] += getattr(result, name)
            progress.show(done, len(ids), _counts(totals))
        summary = f"{len(ids) - len(failed)} articles re-extracted: {_counts(totals)}"
        if failed:
            raise CommandError(f"{summary}; {len(failed)} failed: {', '.join(map(str, failed))}")
        self.stdout.write(summary)


def _counts(totals: dict[str, int]) -> str:
    return " ".join(f"{name}={count}" for name, count in totals.items())
