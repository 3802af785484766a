"""Measure the matcher's saved, shared claim index at a given number of claims.

`python manage.py benchmark --only index --claims N --claims-file BIG.tsv` (README, "Claim
linking at scale"). Run it against a database kept for benchmarks: it adds claims from the
file (ids `bench-…`) until the database holds N, and statements to link. It times a full
build, then starts two worker processes that map the build and reports what each adds to
memory, the link latency of a fresh and a warmed-up worker, and how long a claim saved by
this process takes to be found by a worker (the delta, no build in between).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from bm25s.stopwords import STOPWORDS_EN_PLUS
from django.conf import settings
from django.db import transaction

from claims.models import Claim, ClaimVariant, Speaker, SpeakerAlias, Statement
from claims.services.encoder import encoder_get
from claims.services.matching import statement_link, statement_match, statements_encode
from claims.services.matching_index import match_index
from claims.services.matching_shared import shared_index_build
from claims.services.speakers import speaker_alias_add
from measurement.stats import percentile
from sources.models import Article, Source
from sources.text import content_hash

BATCH = 20_000
STATEMENTS = 300
# Claims read for the names that become speaker aliases.
NAME_SAMPLE = 100_000
_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")


def _memory() -> dict[str, int]:
    """This process's memory in KiB: resident, proportional, private (pages no other process
    maps) and anonymous (its own heap and stacks: private pages of the index files are page
    cache that stays shared with any other worker that maps them)."""
    figures = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        figures[key] = int(value.split()[0])
    return {
        "rss_kib": figures["Rss"],
        "pss_kib": figures["Pss"],
        "private_kib": figures["Private_Clean"] + figures["Private_Dirty"],
        "anonymous_kib": figures["Anonymous"],
    }


def claim_rows(claims_file: Path) -> Iterator[list[str]]:
    """The rows of a claims TSV (id, text, title), read as they are iterated."""
    csv.field_size_limit(10**8)
    with claims_file.open(newline="", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        next(rows, None)
        yield from rows


def claims_fill(*, count: int, claims_file: Path, out: Callable[[str], None]) -> int:
    """Add claims (titles as English variants) from a TSV until the database holds `count`."""
    have = Claim.objects.count()
    if have >= count:
        return have
    started = time.perf_counter()
    batch: list[list[str]] = []
    for number, row in enumerate(claim_rows(claims_file)):
        if have + len(batch) >= count:
            break
        if number < have:
            continue
        batch.append(row)
        if len(batch) == BATCH:
            _store(batch)
            have += len(batch)
            batch = []
            out(f"  {have:,} claims stored ({time.perf_counter() - started:.0f} s)")
    if batch:
        _store(batch)
        have += len(batch)
    return have


def _store(rows: list[list[str]]) -> None:
    with transaction.atomic():
        claims = Claim.objects.bulk_create(
            Claim(text=text, language="en", external_id=f"bench-{claim_id}"[:100])
            for claim_id, text, _ in rows
        )
        ClaimVariant.objects.bulk_create(
            ClaimVariant(claim=claim, text=title.strip(), language="en")
            for claim, (_, text, title) in zip(claims, rows, strict=True)
            if title.strip() and title.strip() != text.strip()
        )


def aliases_fill(*, count: int, claims_file: Path) -> int:
    """Add speakers until the database holds `count` aliases, named like a desk's: the most
    frequent two-word capitalised names in the claims (Donald Trump, Hillary Clinton…), so a
    build finds them in claims as it would in a newsroom's database."""
    have = SpeakerAlias.objects.count()
    if have >= count:
        return have
    names: Counter[str] = Counter()
    for row in itertools.islice(claim_rows(claims_file), NAME_SAMPLE):
        names.update(_NAME.findall(row[1]))
    # "The President", "Did Trump": a capitalised stopword starts a sentence, not a name.
    stopwords = set(STOPWORDS_EN_PLUS)
    taken = set(SpeakerAlias.objects.values_list("name", flat=True))
    with transaction.atomic():
        for name, _ in names.most_common():
            if have >= count:
                break
            if name in taken or name.split()[0].lower() in stopwords:
                continue
            speaker = Speaker.objects.create(name=name)
            speaker_alias_add(speaker=speaker, name=name, language="en")
            have += 1
    return have


def _statements(count: int, rng: random.Random) -> list[int]:
    """Statements that restate random claims loosely (a fifth of the words dropped)."""
    texts = Claim.objects.order_by("?").values_list("text", flat=True)[:count]
    return _statements_of(
        [" ".join([w for w in t.split() if rng.random() > 0.2] or t.split())[:1900] for t in texts]
    )


def _statements_of(texts: list[str]) -> list[int]:
    """One statement of each text, each in an article of its own, stored as extraction stores
    them; their ids."""
    source, _ = Source.objects.get_or_create(
        domain="benchmark-index.invalid", defaults={"name": "Index benchmark"}
    )
    speaker, _ = Speaker.objects.get_or_create(name="Index benchmark speaker")
    statements = []
    for number, text in enumerate(texts):
        url = f"https://benchmark-index.invalid/{time.time_ns()}-{number}"
        article = Article.objects.create(
            source=source,
            url=url,
            body=text,
            language="en",
            content_hash=content_hash(url),
            status="processed",
        )
        statements.append(
            Statement(
                article=article,
                speaker=speaker,
                text=text,
                start=0,
                end=len(text),
                language="en",
            )
        )
    # As extraction stores them: with the dense encoder, encoded then, not by their links.
    statements_encode(texts=texts)
    return [s.pk for s in Statement.objects.bulk_create(statements)]


class _Worker:
    """A process that maps the index as a Celery worker would, driven over its stdin."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "benchmark", "--index-worker"],
            cwd=settings.BASE_DIR,
            env={**os.environ, **(env or {})},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ready = self.read()

    def read(self) -> dict:
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the index worker process stopped")
            if line.startswith("{"):
                return json.loads(line)

    def ask(self, command: dict) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


def index_worker() -> None:
    """The worker side of `_Worker`: answer JSON commands, one line each."""
    encoder_get()  # the model, if configured, measured apart from the index
    without_index = _memory()
    started = time.perf_counter()
    match_index()
    ready = {"load_seconds": time.perf_counter() - started, "without_index": without_index}
    print(json.dumps({**ready, **_memory()}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "link":
            samples, ranking = [], []
            for statement_id in command["statements"]:
                started = time.perf_counter()
                statement_link(statement_id=statement_id)
                samples.append(time.perf_counter() - started)
                statement = Statement.objects.select_related("article").get(pk=statement_id)
                started = time.perf_counter()
                statement_match(statement=statement)
                ranking.append(time.perf_counter() - started)
            print(json.dumps({"link": samples, "rank": ranking, **_memory()}), flush=True)
        elif command["do"] == "probe":
            statement = Statement.objects.select_related("article").get(pk=command["statement"])
            deadline = time.time() + 60
            while time.time() < deadline:
                if any(
                    m.claim_id == command["claim"] for m in statement_match(statement=statement)
                ):
                    break
                time.sleep(0.05)
            print(json.dumps({"found_at": time.time()}), flush=True)


def _ms(samples: list[float]) -> str:
    return (
        f"p50 {statistics.median(samples) * 1000:6.1f} ms  "
        f"p95 {percentile(samples, 95) * 1000:6.1f} ms  max {max(samples) * 1000:6.1f} ms"
    )


def index_benchmark_run(
    *,
    claims: int,
    claims_file: Path | None,
    aliases: int,
    seed: int,
    out: Callable[[str], None],
) -> None:
    rng = random.Random(seed)
    if claims_file is not None:
        claims = claims_fill(count=claims, claims_file=claims_file, out=out)
        aliases = aliases_fill(count=aliases, claims_file=claims_file)
    else:
        claims = Claim.objects.count()
        aliases = SpeakerAlias.objects.count()
    out(
        f"index: {claims:,} claims, {ClaimVariant.objects.count():,} variants, "
        f"{aliases:,} speaker aliases"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # From scratch, as on a new machine: a build already in the folder would otherwise lend
    # its analysis of every unchanged claim, and the figure would be a rebuild's.
    result = shared_index_build(reuse=False)
    if result.path is None:
        out(f"  not built: {result.skipped}")
        return
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, before) // 1024
    size = sum(p.stat().st_size for p in result.path.iterdir()) / 2**20
    out(
        f"  full build from scratch: {result.seconds:.1f} s ({result.documents:,} documents, "
        f"{result.analysed:,} phrasings analysed, {size:,.0f} MiB on disk, "
        f"builder peak RSS {peak:,} MiB)"
    )
    rebuilt = shared_index_build()
    if rebuilt.path is not None:
        out(
            f"  rebuild reusing that analysis: {rebuilt.seconds:.1f} s "
            f"({rebuilt.analysed:,} phrasings analysed)"
        )
    statement_ids = _statements(STATEMENTS, rng)
    first = _Worker()
    second = _Worker()
    try:
        for name, worker in (("first", first), ("second", second)):
            ready = worker.ready
            out(
                f"  {name} worker mapped the index in {ready['load_seconds']:.1f} s: "
                f"RSS {ready['rss_kib'] / 1024:,.0f} MiB, "
                f"private {ready['private_kib'] / 1024:,.0f} MiB, "
                f"PSS {ready['pss_kib'] / 1024:,.0f} MiB"
            )
        half = len(statement_ids) // 2
        fresh = second.ask({"do": "link", "statements": statement_ids[:half]})
        warm = second.ask({"do": "link", "statements": statement_ids[half:]})
        out(f"  link, fresh worker (first {half}):  {_ms(fresh['link'])}")
        out(f"  link, warm worker (next {half}):    {_ms(warm['link'])}")
        out(f"  ranking only, warm worker:        {_ms(warm['rank'])}")
        out(
            f"  second worker after linking: private {warm['private_kib'] / 1024:,.0f} MiB, "
            f"RSS {warm['rss_kib'] / 1024:,.0f} MiB"
        )
        waits = []
        for n in range(5):
            marker = f"zq{rng.randrange(10**9)}benchmarkmarker{n}"
            text = f"{marker} the reservoir levels fell below the {marker} emergency line"
            statement = _statements_of([text])[0]
            claim = Claim.objects.create(text=text, language="en")
            saved = time.time()
            found = first.ask({"do": "probe", "statement": statement, "claim": claim.pk})
            waits.append(found["found_at"] - saved)
        out(
            f"  new claim matchable by a running worker after: max {max(waits):.2f} s "
            f"(of {len(waits)}: {', '.join(f'{w:.2f}' for w in waits)})"
        )
    finally:
        first.stop()
        second.stop()
