"""Measure the recent-statement search of an import: `benchmark --only rescan`.

Against a database kept for benchmarks: it adds STATEMENTS statements spread over the last
MATCH_RECENT_DAYS days (restatements of claims from the file, a tenth of them of the claims
about to be imported), imports CLAIMS new claims from the file through `claims_import` (as
`import_claims` does: all marked pending, one search message each) and runs each claim's
search as the worker would, in one process, timing until every claim is done.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, MatchingStatus, Speaker, Statement, Suggestion
from claims.services.claim_import import claims_import
from claims.services.matching_index import match_index
from claims.services.matching_rescan import claim_link_recent
from measurement.index_benchmark import claim_rows
from sources.models import Article, Source
from sources.text import content_hash

STATEMENTS = 100_000
CLAIMS = 10_000
BATCH = 10_000


def _rows(claims_file: Path, skip: set[str], count: int) -> list[list[str]]:
    rows = []
    for row in claim_rows(claims_file):
        if f"rescan-{row[0]}" not in skip:
            rows.append(row)
        if len(rows) == count:
            break
    return rows


def _said(text: str, rng: random.Random) -> str:
    words = [w for w in text.split() if rng.random() > 0.2] or text.split()
    return " ".join(words)[:1900]


def _add_statements(texts: list[str], rng: random.Random, out: Callable[[str], None]) -> None:
    source, _ = Source.objects.get_or_create(
        domain="benchmark-rescan.invalid", defaults={"name": "Rescan benchmark"}
    )
    speaker, _ = Speaker.objects.get_or_create(name="Rescan benchmark speaker")
    now = timezone.now()
    window = settings.MATCH_RECENT_DAYS * 86_400
    for start in range(0, len(texts), BATCH):
        chunk = texts[start : start + BATCH]
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(
                    source=source,
                    url=f"https://benchmark-rescan.invalid/{time.time_ns()}-{n}",
                    body=text,
                    language="en",
                    content_hash=content_hash(f"{time.time_ns()}-{n}-{text}"),
                    status="processed",
                )
                for n, text in enumerate(chunk)
            )
            Statement.objects.bulk_create(
                Statement(
                    article=article,
                    speaker=speaker,
                    text=text,
                    start=0,
                    end=len(text),
                    language="en",
                    matching_status=MatchingStatus.DONE,
                    created_at=now - timedelta(seconds=rng.randrange(window)),
                )
                for article, text in zip(articles, chunk, strict=True)
            )
        out(f"  {start + len(chunk):,} statements stored")


def rescan_benchmark_run(*, claims_file: Path, seed: int, out: Callable[[str], None]) -> None:
    rng = random.Random(seed)
    imported = set(
        Claim.objects.filter(external_id__startswith="rescan-").values_list(
            "external_id", flat=True
        )
    )
    rows = _rows(claims_file, imported, CLAIMS + STATEMENTS)
    new, others = rows[:CLAIMS], rows[CLAIMS:]
    since = timezone.now() - timedelta(days=settings.MATCH_RECENT_DAYS)
    have = Statement.objects.filter(
        article__source__domain="benchmark-rescan.invalid", created_at__gte=since
    ).count()
    if have < STATEMENTS:
        texts = [_said(text, rng) for _, text, _ in new][: STATEMENTS // 10]
        texts += [_said(text, rng) for _, text, _ in others][: STATEMENTS - have - len(texts)]
        _add_statements(texts, rng, out)
    recent = Statement.objects.filter(created_at__gte=since).count()
    # Only the import's searches are measured: claims added before it count as searched.
    Claim.objects.filter(matching_status=MatchingStatus.PENDING).update(
        matching_status=MatchingStatus.DONE
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.jsonl"
        path.write_text(
            "".join(
                json.dumps({"id": f"rescan-{claim_id}", "text": text, "language": "en"}) + "\n"
                for claim_id, text, _ in new
            )
        )
        started = time.perf_counter()
        report = claims_import(path=path)
        imported_seconds = time.perf_counter() - started
    ids = list(report.claim_ids)
    out(
        f"rescan: {len(ids):,} claims imported in {imported_seconds:.1f} s against "
        f"{recent:,} statements of the last {settings.MATCH_RECENT_DAYS} days"
    )
    match_index()
    suggestions_before = Suggestion.objects.count()
    started = time.perf_counter()
    for claim_id in ids:
        # One message per claim, as the import queued them: most find their claim done.
        claim_link_recent(claim_id=claim_id)
    seconds = time.perf_counter() - started
    pending = Claim.objects.filter(pk__in=ids, matching_status=MatchingStatus.PENDING).count()
    out(
        f"  searches of all {len(ids):,} claims done in {seconds:.1f} s in one process "
        f"({pending} still pending), {Suggestion.objects.count() - suggestions_before:,} "
        "suggestions"
    )
