"""python manage.py benchmark_extraction [--data PATH] [--language ur] [--articles N] [--json]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measurement.extraction_benchmark import benchmark_records, extraction_benchmark
from measurement.extraction_evaluation import BenchmarkError, benchmark_folders


class Command(BaseCommand):
    help = (
        "Articles per second, in this process: the extractor alone (statements_find), then "
        "`ingest --sync` end to end (detection, storage, extraction, claim linking) into a "
        "throwaway schema holding the seed story. On the seed article, or with --data on a "
        "benchmark's real articles, cycled to --articles with distinct URLs and texts."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument(
            "--data", type=Path, help="Benchmark folder: language subfolders, or one of them"
        )
        parser.add_argument(
            "--language", default="", help="With --data: the language folder to read (ur)"
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="End with one JSON line"
        )

    def handle(self, *args, data: Path | None, language: str, articles: int, **options) -> None:
        if articles < 1:
            raise CommandError("--articles must be at least 1")
        folder = None
        if data is None:
            language = "ur"
        else:
            try:
                folders = benchmark_folders(data, [language] if language else [])
            except BenchmarkError as exc:
                raise CommandError(str(exc)) from exc
            if not language:
                language = "ur" if "ur" in folders else next(iter(folders))
            folder = folders[language]
        try:
            records = benchmark_records(folder)
        except BenchmarkError as exc:
            raise CommandError(str(exc)) from exc
        what = f"{len(records)} {language} article(s) from {folder or 'the seed story'}"
        self.stderr.write(f"cycling {what} to {articles}")
        alone, ingested = extraction_benchmark(
            records=records, language=language, articles=articles
        )
        self.stdout.write(
            f"extractor alone: {alone.articles} articles, {alone.statements} statements in "
            f"{alone.seconds:.2f} s = {alone.per_second:.0f} articles/s (one process)"
        )
        self.stdout.write(
            f"ingest --sync:   {ingested.articles} articles, {ingested.statements} statements, "
            f"{ingested.suggestions} suggestions, {ingested.new_speakers} new speakers in "
            f"{ingested.seconds:.2f} s = {ingested.per_second:.0f} articles/s "
            "(one process, database and claim linking included)"
        )
        if options["as_json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "language": language,
                        "distinct_articles": len(records),
                        "extractor": alone.as_json(),
                        "ingest_sync": ingested.as_json(),
                    }
                )
            )
