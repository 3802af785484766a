"""How fast statements are extracted: the extractor alone, and `ingest --sync` end to end.

Both run on real articles (an annotated benchmark's articles.jsonl, or the seed article),
cycled to the number asked for, in a throwaway schema holding the seed story, so speaker
matching and claim linking do the work they do in a deployment and the user's tables are
never touched.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command

from claims.models import Speaker, Statement, Suggestion
from claims.services.extraction.finding import statements_find
from claims.services.extraction.resolving import speaker_index
from claims.services.seeds import seeds_load
from measurement.extraction_evaluation import benchmark_articles
from measurement.schema import throwaway_schema
from sources.models import Article

SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "seed_story.json"


@dataclass(frozen=True)
class Speed:
    articles: int
    statements: int
    seconds: float
    suggestions: int = 0
    new_speakers: int = 0

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, int | float]:
        return {
            "articles": self.articles,
            "statements": self.statements,
            "suggestions": self.suggestions,
            "new_speakers": self.new_speakers,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.per_second, 1),
        }


def seed_records() -> list[dict]:
    """The seed article as an ingestion record."""
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    article = data["articles"][0]
    body = (SEED_FILE.parent / article["file"]).read_text(encoding="utf-8")
    return [
        {
            "url": article["url"],
            "source": article["source"],
            "title": article["title"],
            "body": body,
            "published_at": article["published_at"],
        }
    ]


def benchmark_records(folder: Path | None) -> list[dict]:
    return seed_records() if folder is None else benchmark_articles(folder)


def copies(records: list[dict], count: int) -> list[dict]:
    """`count` records cycling through `records`, each with its own URL and content hash."""
    result = []
    for n in range(count):
        record = dict(records[n % len(records)])
        host = urlsplit(record["url"]).hostname or "benchmark.invalid"
        record["url"] = f"https://{host}/claimledger-benchmark/{n}"
        # A line of its own, so the copy is a new article rather than a duplicate of the last.
        record["body"] = f"{record['body']}\n{n}"
        result.append(record)
    return result


def extraction_benchmark(
    *, records: list[dict], language: str, articles: int
) -> tuple[Speed, Speed]:
    """Time the extractor alone, then `ingest --sync` of `articles` copies of `records`."""
    with throwaway_schema(), tempfile.TemporaryDirectory() as folder:
        seeds_load()  # speakers, aliases and claims, as in a deployment
        alone = _extractor_alone(records, language, articles)
        path = Path(folder) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for record in copies(records, articles):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        speakers_before = Speaker.objects.count()
        started = time.perf_counter()
        call_command("ingest", str(path), "--sync", stdout=StringIO(), stderr=StringIO())
        seconds = time.perf_counter() - started
        stored = Article.objects.filter(url__contains="/claimledger-benchmark/")
        ingested = Speed(
            articles=stored.count(),
            statements=Statement.objects.filter(article__in=stored).count(),
            seconds=seconds,
            suggestions=Suggestion.objects.filter(statement__article__in=stored).count(),
            new_speakers=Speaker.objects.count() - speakers_before,
        )
    return alone, ingested


def _extractor_alone(records: list[dict], language: str, articles: int) -> Speed:
    index = speaker_index()
    bodies = [record["body"] for record in records]
    started = time.perf_counter()
    statements = sum(
        len(statements_find(bodies[n % len(bodies)], language, index)) for n in range(articles)
    )
    return Speed(articles, statements, time.perf_counter() - started)
