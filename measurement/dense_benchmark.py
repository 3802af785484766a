"""Measure the dense encoder's vectors at scale: `benchmark --only dense` (README, "Dense
vectors at scale").

Against a database kept for benchmarks, with CLAIMLEDGER_ENCODER set. It adds claims from a
claims file until there are --claims (as `--only index` does), optionally loads vectors
encoded earlier (--vectors: a folder of .npz chunks of `digests` and `vectors`, checked
against the product's encoder on a sample), or stores a random unit vector for every claim
document that has none (--synthetic-vectors: for timing builds and links without encoding a
million texts first; deleted again at the end, and recall, agreement and MAP@5 not measured),
then:

- builds the index on an empty folder, as a new machine would, and counts what it encoded;
- adds and edits claims and builds again, counting again;
- searches the ANN index with real statements' vectors and compares each answer with the
  exact nearest neighbours (recall@10 and @50, at several nprobe);
- ranks each statement with the ANN index and with the exact search, and compares the
  claims each puts first; with --qrels (the queries' relevant claims, as the claims file
  names them), the matcher's MAP@5 each way;
- starts a worker process with the encoder and reports its memory and link latency.
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from claims.models import Claim, ClaimVariant, EncodedText, Statement
from claims.services.encoder import encoder_get
from claims.services.matching import statement_match
from claims.services.matching_index import match_index
from claims.services.matching_shared import shared_index_build, shared_index_load
from claims.services.vector_store import stored_vectors, text_digest
from measurement.index_benchmark import _ms, _statements, _Worker, claims_fill
from measurement.matching_evaluation import (
    _average_precision,
    _read_qrels,
    _read_tsv,
    queries_load,
)
from measurement.stats import percentile
from measurement.vectors import SyntheticEncoder, vectors_preload
from sources.text import search_terms

NPROBES = (16, 32, 64, 128, 256)
CHANGED = 100
LINKS = 150  # statements linked by a fresh worker, then as many by the warm one


class DenseBenchmarkError(Exception):
    """The benchmark cannot run as asked; the message says why."""


def _documents(sample: int, rng: random.Random) -> list[str]:
    """The texts of sampled claims' documents, joined as the index joins them (the claim's
    text, then its variants by id; every claim here is English)."""
    top = Claim.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = sorted({rng.randrange(1, top + 1) for _ in range(sample * 2)})
    texts = dict(Claim.objects.filter(id__in=ids).values_list("id", "text"))
    variants: dict[int, list[str]] = {}
    for claim_id, text in (
        ClaimVariant.objects.filter(claim_id__in=texts).order_by("id").values_list("claim", "text")
    ):
        variants.setdefault(claim_id, []).append(text)
    return [" ".join([texts[c], *variants.get(c, [])]) for c in list(texts)[:sample]]


def _check_stored(encoder, rng: random.Random, out: Callable[[str], None]) -> None:
    documents = _documents(500, rng)
    stored = stored_vectors(encoder.name, [text_digest(t) for t in documents])
    fresh = encoder.encode(documents)
    cosines = [
        float(stored[text_digest(text)] @ vector)
        for text, vector in zip(documents, fresh, strict=True)
        if text_digest(text) in stored
    ]
    out(
        f"  {len(cosines)} of {len(documents)} sampled claims' vectors are stored; cosine with "
        f"this process's encoding: min {min(cosines, default=0):.5f}"
    )


def _precisions(encoder, rng: random.Random, out: Callable[[str], None]) -> None:
    """The encoder's speed in float32 and in bfloat16, and how far apart their vectors are."""
    if encoder.precision == "float32" and settings.MATCH_ENCODER_PRECISION == "auto":
        out("  this CPU has no bfloat16 instructions: float32 only")
        return
    documents = _documents(2000, rng)
    vectors = {}
    configured = encoder.precision
    try:
        for precision in ("float32", "bfloat16", "float32", "bfloat16"):
            encoder.precision = precision
            started = time.perf_counter()
            vectors[precision] = encoder.encode(documents)
            speed = len(documents) / (time.perf_counter() - started)
            out(f"  encoding {len(documents):,} claims in {precision}: {speed:.0f} a second")
    finally:
        encoder.precision = configured
    cosines = np.sum(vectors["float32"] * vectors["bfloat16"], axis=1)
    out(f"  cosine of each bfloat16 vector with its float32 one: min {cosines.min():.5f}")


def _build(out: Callable[[str], None], what: str, encoder) -> Path:
    started = timezone.now()
    result = shared_index_build(encoder=encoder)
    if result.path is None:
        raise DenseBenchmarkError(f"the index was not built: {result.skipped}")
    encoded = EncodedText.objects.filter(encoder=encoder.name, created_at__gte=started).count()
    index = shared_index_load(result.path, warm=False)
    ann = "with" if index.ann is not None else "without"
    out(
        f"  {what}: {result.seconds:.1f} s for {result.documents:,} documents, "
        f"{encoded:,} texts encoded, {ann} an ANN index"
    )
    return result.path


def _database_clock() -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _written_between(encoder, start: datetime, end: datetime):
    return EncodedText.objects.filter(
        encoder=encoder.name, created_at__gte=start, created_at__lte=end
    )


def _synthesize(
    encoder, folder: Path, start: datetime, seed: int, out: Callable[[str], None]
) -> datetime:
    """Store a random unit vector for every claim document without a stored one, through a
    build of the index (the documents, digests and chunks a build makes) into a throwaway
    folder. Returns the database's clock when it ended: the rows written from `start` (the
    database's clock, read before) up to then are the random ones, for the caller to delete."""
    synthetic = SyntheticEncoder(encoder, seed=seed)
    out(
        f"  filling the store with random vectors from {start.isoformat()}: should this run be "
        f"killed, delete them with DELETE FROM {EncodedText._meta.db_table} WHERE encoder = "
        f"'{encoder.name}' AND created_at >= '{start.isoformat()}'"
    )
    started = time.perf_counter()
    try:
        with override_settings(MATCH_INDEX_DIR=folder):
            result = shared_index_build(encoder=synthetic, reuse=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result.path is None:
        raise DenseBenchmarkError(f"the store was not filled: {result.skipped}")
    end = _database_clock()
    # As autovacuum leaves a store filled long ago: the rows' hint bits set, so the build timed
    # next reads them, not rewrites every page it reads.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {EncodedText._meta.db_table}")
    out(
        f"  timing only: {_written_between(encoder, start, end).count():,} random unit vectors "
        f"of {synthetic.dimensions} dimensions stored for the claim documents that had none, in "
        f"{time.perf_counter() - started:.0f} s (recall, agreement and MAP@5 are not measured "
        "on them)"
    )
    return end


def _unsynthesize(encoder, start: datetime, end: datetime, out: Callable[[str], None]) -> None:
    """Delete the random vectors again: a later build must not take them for the model's."""
    started = time.perf_counter()
    deleted, _ = _written_between(encoder, start, end).delete()
    out(f"  {deleted:,} random vectors deleted in {time.perf_counter() - started:.0f} s")


def _change(encoder, rng: random.Random) -> None:
    """CHANGED new claims and CHANGED edited ones."""
    marker = rng.randrange(10**9)
    with transaction.atomic():
        Claim.objects.bulk_create(
            Claim(text=f"dense benchmark claim {marker} number {n} on river levels", language="en")
            for n in range(CHANGED)
        )
        # Generated claims only: a benchmark claim edited would change --qrels' answers.
        edited = Claim.objects.filter(external_id__startswith="bench-generated-")
        for claim in edited.order_by("?")[:CHANGED]:
            claim.text = f"{claim.text} (edited {marker})"
            claim.save(update_fields=["text"])


def _queries(queries_file: Path | None, rng: random.Random) -> list[str]:
    if queries_file is None:
        documents = _documents(300, rng)
        # Restatements: a fifth of each claim's words dropped.
        return [" ".join(w for w in t.split() if rng.random() > 0.2) or t for t in documents]
    csv.field_size_limit(10**8)
    with queries_file.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [row[1] for row in rows if len(row) > 1]


def _recall(index, vectors: np.ndarray, out: Callable[[str], None]) -> None:
    """The ANN index's answers against the exact nearest neighbours, query by query."""
    exact = []
    started = time.perf_counter()
    for vector in vectors:
        similarity = index.vectors @ vector
        top = np.argpartition(-similarity, 50)[:50]
        exact.append(top[np.argsort(-similarity[top])])
    exact_ms = (time.perf_counter() - started) / len(vectors) * 1000
    out(f"  exact search over {len(index.vectors):,} vectors: {exact_ms:.1f} ms a query (mean)")
    for nprobe in NPROBES:
        with override_settings(MATCH_ANN_NPROBE=nprobe):
            found, times = [], []
            for vector in vectors:
                started = time.perf_counter()
                found.append(index.ann.search(vector, 50))
                times.append(time.perf_counter() - started)
        pairs = list(zip(found, exact, strict=True))
        at10 = statistics.fmean(len(set(f[:10]) & set(e[:10])) / 10 for f, e in pairs)
        at50 = statistics.fmean(len(set(f) & set(e)) / 50 for f, e in pairs)
        p50, p95 = statistics.median(times) * 1000, percentile(times, 95) * 1000
        out(
            f"  ANN nprobe {nprobe:3d}: recall@10 {at10:.3f}  recall@50 {at50:.3f}  "
            f"p50 {p50:.2f} ms  p95 {p95:.2f} ms"
        )


def _agreement(texts: list[str], vectors: np.ndarray, out: Callable[[str], None]) -> None:
    """The claims the matcher ranks first through the ANN index and through the exact search."""
    index = match_index()
    ann = index.main.ann
    same1, same5, times = [], [], {"ann": [], "exact": []}
    for text, vector in zip(texts, vectors, strict=True):
        terms = list(dict.fromkeys(search_terms(text, "en")))
        ranked = {}
        for name, used in (("ann", ann), ("exact", None)):
            index.main.ann = used
            started = time.perf_counter()
            scores = index.rank(terms, vector)
            times[name].append(time.perf_counter() - started)
            ranked[name] = sorted(scores, key=lambda c: (-scores[c][0], c))[:5]
        index.main.ann = ann
        same1.append(ranked["ann"][:1] == ranked["exact"][:1])
        same5.append(ranked["ann"] == ranked["exact"])
    out(
        f"  matcher's ranking, ANN against exact, {len(texts)} statements: same first claim "
        f"{statistics.fmean(same1):.1%}, same first five {statistics.fmean(same5):.1%}"
    )
    out(f"  ranking with ANN:   {_ms(times['ann'])}")
    out(f"  ranking, exact:     {_ms(times['exact'])}")


def _map_at_5(queries_file: Path, qrels_file: Path, out: Callable[[str], None]) -> None:
    """MAP@5 of the matcher (statement_match, as the link task ranks) with the ANN index and
    with the exact search, on queries whose relevant claims are in the database (claims_fill
    stored them as `bench-<id>`)."""
    queries = _read_tsv(queries_file, ["id", "text"])
    qrels = _read_qrels(qrels_file)
    statement_ids = queries_load(queries)
    statements = Statement.objects.select_related("article").in_bulk(statement_ids.values())
    index = match_index()
    ann = index.main.ann
    for name, used in (("ANN", ann), ("exact", None)):
        index.main.ann = used
        precision, times = [], []
        for query_id, statement_id in statement_ids.items():
            started = time.perf_counter()
            ranked = [m.claim_id for m in statement_match(statement=statements[statement_id])]
            times.append(time.perf_counter() - started)
            external = dict(Claim.objects.filter(id__in=ranked).values_list("id", "external_id"))
            relevant = {f"bench-{claim}"[:100] for claim in qrels.get(query_id, set())}
            ranking = [external[claim_id] for claim_id in ranked]
            precision.append(_average_precision(ranking, relevant, 5))
        out(
            f"  MAP@5 with {name:5s} {statistics.fmean(precision):.4f} "
            f"({len(precision)} queries; statement_match {_ms(times)})"
        )
    index.main.ann = ann


def dense_benchmark_run(
    *,
    claims: int,
    claims_file: Path | None,
    vectors: Path | None,
    queries_file: Path | None,
    qrels_file: Path | None,
    seed: int,
    out: Callable[[str], None],
    synthetic: bool = False,
) -> None:
    if synthetic and vectors is not None:
        raise DenseBenchmarkError("--synthetic-vectors and --vectors: give one or the other")
    encoder = encoder_get()
    if encoder is None:
        raise DenseBenchmarkError("--only dense needs CLAIMLEDGER_ENCODER (requirements-ml.txt)")
    rng = random.Random(seed)
    if claims_file is not None:
        claims = claims_fill(count=claims, claims_file=claims_file, out=out)
    out(f"dense: {claims:,} claims, encoder {encoder.name} ({encoder.precision})")
    if vectors is not None:
        vectors_preload(vectors, encoder.name, out)
    parent = settings.MATCH_INDEX_DIR.parent
    parent.mkdir(parents=True, exist_ok=True)
    # Random vectors under the model's name: deleted however the run ends, the fill included
    # (what it stored, a chunk at a time, up to when it stopped).
    start = _database_clock() if synthetic else None
    end = None
    try:
        if synthetic:
            scratch = Path(tempfile.mkdtemp(prefix="claimledger-synthetic-", dir=parent))
            end = _synthesize(encoder, scratch, start, seed, out)
        else:
            _check_stored(encoder, rng, out)
        _measured(
            encoder,
            rng,
            parent,
            synthetic=synthetic,
            queries_file=queries_file,
            qrels_file=qrels_file,
            out=out,
        )
    finally:
        if start is not None:
            _unsynthesize(encoder, start, end or _database_clock(), out)


def _measured(
    encoder,
    rng: random.Random,
    parent: Path,
    *,
    synthetic: bool,
    queries_file: Path | None,
    qrels_file: Path | None,
    out: Callable[[str], None],
) -> None:
    _precisions(encoder, rng, out)
    folder = Path(tempfile.mkdtemp(prefix="claimledger-dense-", dir=parent))
    try:
        with override_settings(MATCH_INDEX_DIR=folder):
            _builds_and_links(
                encoder,
                rng,
                folder,
                synthetic=synthetic,
                queries_file=queries_file,
                qrels_file=qrels_file,
                out=out,
            )
    finally:
        # Two builds: 4 GB at a million claims with the encoder.
        shutil.rmtree(folder, ignore_errors=True)


def _builds_and_links(
    encoder,
    rng: random.Random,
    folder: Path,
    *,
    synthetic: bool,
    queries_file: Path | None,
    qrels_file: Path | None,
    out: Callable[[str], None],
) -> None:
    _build(out, "build on an empty folder (a new machine)", encoder)
    _change(encoder, rng)
    path = _build(out, f"build after {CHANGED} claims added and {CHANGED} edited", encoder)
    index = shared_index_load(path)
    texts = _queries(queries_file, rng)
    started = time.perf_counter()
    query_vectors = encoder.encode(texts)
    out(
        f"  {len(texts)} statements encoded in {time.perf_counter() - started:.1f} s "
        f"({len(texts) / (time.perf_counter() - started):.0f} a second)"
    )
    if index.ann is None:
        least = settings.MATCH_ANN_MIN_DOCUMENTS
        out(f"  no ANN index: below MATCH_ANN_MIN_DOCUMENTS ({least:,})")
    elif not synthetic:
        _recall(index, query_vectors, out)
        _agreement(texts, query_vectors, out)
        if queries_file is not None and qrels_file is not None:
            _map_at_5(queries_file, qrels_file, out)
    statement_ids = _statements(2 * LINKS, rng)
    worker = _Worker(env={"CLAIMLEDGER_MATCH_INDEX_DIR": str(folder)})
    try:
        ready = worker.ready
        model = ready["without_index"]
        out(
            f"  worker with the encoder loaded: RSS {model['rss_kib'] / 1024:,.0f} MiB, "
            f"private {model['private_kib'] / 1024:,.0f} MiB (the model and torch)"
        )
        out(
            f"  then mapped the index in {ready['load_seconds']:.1f} s: "
            f"RSS {ready['rss_kib'] / 1024:,.0f} MiB, "
            f"private {ready['private_kib'] / 1024:,.0f} MiB"
        )
        if not statement_ids:
            out("  no claims to restate as statements: nothing linked")
            return
        # As many statements as there are claims, at most 2 × LINKS: half fresh, half warm.
        half = len(statement_ids) // 2
        fresh = worker.ask({"do": "link", "statements": statement_ids[:half]})
        linked = worker.ask({"do": "link", "statements": statement_ids[half:]})
        search = "ANN" if index.ann is not None else "exact search"
        if half:
            out(f"  link, encoder and {search}, fresh worker (first {half}): {_ms(fresh['link'])}")
        out(
            f"  link, encoder and {search}, warm worker (next {len(statement_ids) - half}): "
            f"{_ms(linked['link'])}"
        )
        out(f"  ranking only, warm worker: {_ms(linked['rank'])}")
        out(
            f"  worker after linking: private {linked['private_kib'] / 1024:,.0f} MiB (pages no "
            "other process maps, those of the index files included: page cache every worker "
            f"shares), anonymous {linked['anonymous_kib'] / 1024:,.0f} MiB (its heap: a process "
            "not forked from one holding the model adds this)"
        )
    finally:
        worker.stop()
