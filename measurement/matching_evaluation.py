"""Measure the matcher on a claim-retrieval benchmark, in a throwaway schema.

The claims and queries are loaded into a new PostgreSQL schema of the configured database
(never the user's tables: the connection's search_path points only at the new schema, which
is migrated from scratch and dropped afterwards). Each query becomes a statement and goes
through `statement_link`, the link task's own code path. Metrics follow CheckThat! (AP@k
divides by the number of relevant claims of the query).
"""

from __future__ import annotations

import csv
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test.utils import override_settings

from claims.models import Claim, ClaimVariant, Speaker, SpeakerAlias, Statement
from claims.services.encoder import encoder_get
from claims.services.matching import statement_link
from claims.services.matching_index import match_index
from claims.services.matching_shared import shared_index_build
from measurement.schema import throwaway_schema
from measurement.stats import percentile
from measurement.vectors import vectors_preload
from sources.models import Article, Source
from sources.text import content_hash

# An embedded tweet ends with its attribution: "— Name (@handle) May 4, 2016". That is who
# said it (the statement's speaker), not what was said.
_ATTRIBUTION = re.compile(
    r"\s*[—–]\s*(?P<name>[^—–]*?)\s*\(@(?P<handle>\w+)\)\s*\w+ \d{1,2}, \d{4}\s*$"
)


class EvaluationError(Exception):
    """The benchmark files cannot be read; the message names the file and line."""


@dataclass
class Metrics:
    map_at_1: float
    map_at_5: float
    mrr: float
    success_at_10: float
    latency_p50_ms: float
    latency_p95_ms: float
    index_seconds: float
    queries: int

    def as_json(self) -> dict[str, float | int]:
        return {
            "map@1": round(self.map_at_1, 4),
            "map@5": round(self.map_at_5, 4),
            "mrr": round(self.mrr, 4),
            "success@10": round(self.success_at_10, 4),
            "latency_p50_ms": round(self.latency_p50_ms, 2),
            "latency_p95_ms": round(self.latency_p95_ms, 2),
            "index_seconds": round(self.index_seconds, 2),
            "queries": self.queries,
        }


def _read_tsv(path: Path, columns: list[str]) -> list[list[str]]:
    csv.field_size_limit(10**8)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f, delimiter="\t"))
    except OSError as exc:
        raise EvaluationError(f"cannot read {path}: {exc}") from exc
    if not rows or rows[0][: len(columns)] != columns:
        raise EvaluationError(f"{path}: the header must start with {columns}")
    for number, row in enumerate(rows[1:], 2):
        if len(row) < len(columns):
            raise EvaluationError(f"{path} row {number}: expected {len(columns)} columns")
    return rows[1:]


def _read_qrels(path: Path) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvaluationError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise EvaluationError(f"{path} line {number}: expected 'qid 0 claim_id 1'")
        if parts[3] != "0":
            qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


def _load(
    claims: list[list[str]], queries: list[list[str]]
) -> tuple[dict[int, str], dict[str, int]]:
    """Store claims (titles as English variants) and one statement per query."""
    # Benchmark ids can be longer than external ids may be: keep them beside the rows.
    stored = Claim.objects.bulk_create(Claim(text=text, language="en") for _, text, _ in claims)
    ClaimVariant.objects.bulk_create(
        ClaimVariant(claim=claim, text=title.strip(), language="en")
        for claim, (_, text, title) in zip(stored, claims, strict=True)
        if title.strip() and title.strip() != text.strip()
    )
    return (
        {claim.pk: claim_id for claim, (claim_id, _, _) in zip(stored, claims, strict=True)},
        queries_load(queries),
    )


def queries_load(queries: list[list[str]]) -> dict[str, int]:
    """One statement per (id, text) query, its speaker from a tweet's attribution. A query
    loaded before (a second benchmark run on the same database) keeps its statement."""
    source, _ = Source.objects.get_or_create(
        domain="benchmark.invalid", defaults={"name": "Benchmark"}
    )
    speakers: dict[str, Speaker] = {}
    loaded: dict[str, int] = {}
    statements: list[tuple[str, Statement]] = []
    for query_id, text in queries:
        attribution = _ATTRIBUTION.search(text)
        said = text[: attribution.start()] if attribution else text
        if not said.strip():
            said = text
        article, created = Article.objects.get_or_create(
            url=f"https://benchmark.invalid/{query_id}",
            defaults={
                "source": source,
                "body": text,
                "language": "en",
                "content_hash": content_hash(text),
                "status": "processed",
            },
        )
        if not created:
            earlier = article.statements.filter(start=0, end=len(said), text=said).first()
            if earlier is not None:
                loaded[query_id] = earlier.pk
                continue
        name = attribution.group("name").strip() if attribution and said is not text else ""
        if name not in speakers:
            speakers[name] = Speaker.objects.create(name=name[:300] or "Unknown")
            # Only a real name is an alias: "Unknown" would name every claim that says unknown.
            if name:
                SpeakerAlias.objects.create(speaker=speakers[name], name=name[:300], language="en")
        statement = Statement(
            article=article,
            speaker=speakers[name],
            text=said,
            start=0,
            end=len(said),
            language="en",
        )
        statements.append((query_id, statement))
    created = Statement.objects.bulk_create([statement for _, statement in statements])
    loaded.update({query_id: s.pk for (query_id, _), s in zip(statements, created, strict=True)})
    return {query_id: loaded[query_id] for query_id, _ in queries}


def matching_evaluate(
    *,
    claims_path: Path,
    queries_path: Path,
    qrels_path: Path,
    shared: bool = True,
    vectors: Path | None = None,
    out: Callable[[str], None] = print,
) -> Metrics:
    """Run every query through the link task's code path and score the rankings.

    With `shared`, the claim index is built and saved as in production (in a temporary
    folder) and the queries run against its memory-mapped copy; `index_seconds` is the
    build. Inside a transaction (the tests) it cannot be, and each process's in-memory index
    is used, as on an install without a saved build. With the encoder configured, the build
    includes the claims' vectors; `vectors` stores ones encoded earlier first.
    """
    claims = _read_tsv(claims_path, ["id", "text", "title"])
    queries = _read_tsv(queries_path, ["id", "text"])
    qrels = _read_qrels(qrels_path)
    missing = [query_id for query_id, _ in queries if query_id not in qrels]
    if missing:
        raise EvaluationError(f"{qrels_path}: no relevant claim for queries {missing[:5]}")
    # Queries are independent: a confirmed link would feed one query's text into the next
    # one's index, so nothing is auto-confirmed here; everything else is as in production.
    shared = shared and not connection.in_atomic_block
    folder = tempfile.mkdtemp(prefix="claimledger-evaluation-")
    with (
        throwaway_schema(),
        override_settings(MATCH_AUTO_CONFIRM_THRESHOLD=float("inf"), MATCH_INDEX_DIR=folder),
    ):
        external, statement_ids = _load(claims, queries)
        encoder = encoder_get()
        if vectors is not None:
            if encoder is None:
                raise EvaluationError("--vectors needs CLAIMLEDGER_ENCODER")
            vectors_preload(vectors, encoder.name, out)
        started = time.perf_counter()
        if shared:
            built = shared_index_build(encoder=encoder)
            if built.path is None:
                raise EvaluationError(f"the claim index was not built: {built.skipped}")
        match_index()
        index_seconds = time.perf_counter() - started
        latencies, ap1, ap5, rr, success = [], [], [], [], []
        for query_id, _ in queries:
            started = time.perf_counter()
            result = statement_link(statement_id=statement_ids[query_id])
            latencies.append((time.perf_counter() - started) * 1000)
            ranking = [external[m.claim_id] for m in result.matches]
            relevant = qrels[query_id]
            ap1.append(_average_precision(ranking, relevant, 1))
            ap5.append(_average_precision(ranking, relevant, 5))
            rank = next((i for i, c in enumerate(ranking, 1) if c in relevant), None)
            rr.append(1 / rank if rank else 0.0)
            success.append(1.0 if rank and rank <= 10 else 0.0)
    shutil.rmtree(folder, ignore_errors=True)
    return Metrics(
        map_at_1=statistics.fmean(ap1),
        map_at_5=statistics.fmean(ap5),
        mrr=statistics.fmean(rr),
        success_at_10=statistics.fmean(success),
        latency_p50_ms=statistics.median(latencies),
        latency_p95_ms=percentile(latencies, 95),
        index_seconds=index_seconds,
        queries=len(queries),
    )


def _average_precision(ranking: list[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for i, claim_id in enumerate(ranking[:k], 1):
        if claim_id in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)
