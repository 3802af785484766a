from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from claims.services.extraction.storing import article_extract
from claims.services.queueing import articles_extract_queue, broker_unreachable
from sources.models import IngestionRun
from sources.services.ingestion import IngestionError, ingest


class Progress:
    """One status line on a terminal, redrawn in place; plain lines elsewhere."""

    def __init__(self, stream, label: str) -> None:
        self.stream, self.label, self.tty = stream, label, stream.isatty()

    def show(self, done: int, total: int | None, counts: str, final: bool = False) -> None:
        if not (self.tty or final):
            return
        if total:
            filled = int(30 * done / total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
        else:
            bar = f"{done}"
        self.stream.write(f"\r{self.label} {bar} {counts}" + ("\n" if final else ""))
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Ingest articles from a JSON Lines or CSV file, a folder of HTML pages, a web page or "
        "an RSS/Atom feed (path or URL). Extraction is queued for the Celery workers, or run "
        "here with --sync. Exits non-zero when any record or the run failed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("target", help="File, folder, page URL or feed URL")
        parser.add_argument("--source", default="", help="Source name for records that name none")
        parser.add_argument(
            "--sync",
            action="store_true",
            help="Extract statements and suggest claims here instead of in workers",
        )

    def handle(self, *args, target: str, source: str, sync: bool, **options) -> None:
        new_ids: list[int] = []
        reading = Progress(sys.stderr, "reading")

        def on_progress(run: IngestionRun) -> None:
            reading.show(run.total, None, _counts(run))

        try:
            run = ingest(
                target=target,
                source_name=source,
                on_stored=new_ids.extend if sync else articles_extract_queue,
                on_progress=on_progress,
            )
        except IngestionError as exc:
            raise CommandError(str(exc)) from exc
        reading.show(run.total, None, _counts(run), final=True)
        for error in run.errors[:50]:
            self.stderr.write(f"  {error['error']}")
        if len(run.errors) > 50:
            self.stderr.write(f"  … and {len(run.errors) - 50} more (see the run in the admin)")
        if run.error:
            raise CommandError(f"ingestion run #{run.pk} failed: {run.error}")

        if sync:
            extracting = Progress(sys.stderr, "extracting")
            statements = 0
            for done, article_id in enumerate(new_ids, start=1):
                result = article_extract(article_id=article_id, link_in_process=True)
                statements += result.statements if result else 0
                extracting.show(done, len(new_ids), f"statements={statements}")
            extracting.show(len(new_ids), len(new_ids), f"statements={statements}", final=True)
        elif run.new and broker_unreachable():
            self.stdout.write(f"{run.new} articles stored, pending until the sweeper queues them")
        elif run.new:
            self.stdout.write(f"{run.new} articles queued for statement extraction")
        summary = f"ingestion run #{run.pk} {run.get_status_display().lower()}: {_counts(run)}"
        if run.status != IngestionRun.Status.SUCCEEDED:
            raise CommandError(summary)
        self.stdout.write(summary)


def _counts(run: IngestionRun) -> str:
    return f"new={run.new} duplicate={run.duplicates} failed={run.failed}"
