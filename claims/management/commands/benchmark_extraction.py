from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from claims.services.extraction import article_extract, speaker_index, statements_find
from claims.services.seeds import seeds_load
from sources.models import Article, Source
from sources.text import content_hash

SEED_ARTICLE = Path(settings.BASE_DIR) / "seeds" / "000_aa697601239acc52.txt"


class Command(BaseCommand):
    help = (
        "Articles per second for statement extraction on the Urdu seed article, in this "
        "process: the extractor alone, then extract-and-store through the database (inside a "
        "transaction that is rolled back, so no data is left behind)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", type=int, default=1000)

    def handle(self, *args, articles: int, **options) -> None:
        body = SEED_ARTICLE.read_text(encoding="utf-8")
        with transaction.atomic():
            seeds_load()  # the speakers and aliases, as in a real deployment
            index = speaker_index()
            started = time.perf_counter()
            statements = sum(len(statements_find(body, "ur", index)) for _ in range(articles))
            pure = time.perf_counter() - started
            self.stdout.write(
                f"extractor alone: {articles} articles, {statements} statements in {pure:.2f} s "
                f"= {articles / pure:.0f} articles/s"
            )

            source = Source.objects.get(name="Mehr News Agency")
            bodies = [f"{body}\n{n}" for n in range(articles)]
            rows = Article.objects.bulk_create(
                Article(
                    source=source,
                    url=f"https://benchmark.invalid/{n}",
                    body=text,
                    language="ur",
                    content_hash=content_hash(text),
                )
                for n, text in enumerate(bodies)
            )
            started = time.perf_counter()
            stored = sum(article_extract(article_id=row.pk).statements for row in rows)
            full = time.perf_counter() - started
            self.stdout.write(
                f"extract and store: {articles} articles, {stored} statements in {full:.2f} s "
                f"= {articles / full:.0f} articles/s (one process, database included)"
            )
            transaction.set_rollback(True)
