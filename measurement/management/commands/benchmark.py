"""python manage.py benchmark [--runs 20] [--only search,admin,export,alerts,api,analyst]
python manage.py benchmark --load [--analysts 8] [--seconds 30] [--workers N] [--threads 1]
python manage.py benchmark --only index,rescan [--claims N --claims-file BIG.tsv]"""

from __future__ import annotations

import os
import random
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measurement.analyst_benchmark import (
    MAX_ANALYSTS,
    MAX_SECONDS,
    MAX_WORKERS,
    AnalystBenchmarkError,
    bench_load,
    bench_one_at_a_time,
)
from measurement.api_benchmark import api_benchmark_run
from measurement.dense_benchmark import DenseBenchmarkError, dense_benchmark_run
from measurement.index_benchmark import index_benchmark_run, index_worker
from measurement.rescan_benchmark import rescan_benchmark_run
from measurement.vectors import VectorsFileError
from measurement.web_benchmark import benchmark_run

# Parts timed by web_benchmark.benchmark_run; the others have their own runner below.
WEB_PARTS = {"search", "admin", "export", "alerts"}
DEFAULT_PARTS = WEB_PARTS | {"api", "analyst"}
# The matcher's parts need a claims file and minutes at scale: only when asked for.
PARTS = DEFAULT_PARTS | {"index", "rescan", "dense"}


class Command(BaseCommand):
    help = (
        "Time search, the admin statement list, the CSV export, what alerts add to ingestion, "
        "the REST API and the analysts' pages on the current data; --load runs signed-in "
        "analysts at once against a local gunicorn; --only index or rescan measures the "
        "matcher's shared index and claim rescans."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--only",
            default=",".join(sorted(DEFAULT_PARTS)),
            help=f"any of {', '.join(sorted(PARTS))}",
        )
        parser.add_argument(
            "--load",
            action="store_true",
            help="run analysts at once against gunicorn on 127.0.0.1 (nothing else)",
        )
        parser.add_argument("--analysts", type=int, default=8, help=f"at most {MAX_ANALYSTS}")
        parser.add_argument("--seconds", type=float, default=30, help=f"at most {MAX_SECONDS}")
        parser.add_argument(
            "--workers",
            type=int,
            default=2 * (os.cpu_count() or 1) + 1,
            help=f"gunicorn workers (default 2 × cores + 1, at most {MAX_WORKERS})",
        )
        parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
        parser.add_argument(
            "--claims", type=int, default=100_000, help="index: claims to measure at"
        )
        parser.add_argument(
            "--claims-file",
            type=Path,
            help="index: a claims TSV (generate_claims) to add from until there are --claims",
        )
        parser.add_argument(
            "--aliases",
            type=int,
            default=200,
            help="index: speaker aliases the build looks for in every claim (names from the "
            "claims file), added until there are this many",
        )
        parser.add_argument(
            "--vectors",
            type=Path,
            help="dense: a folder of .npz chunks (digests, vectors) encoded earlier, to store",
        )
        parser.add_argument(
            "--synthetic-vectors",
            action="store_true",
            help="dense: a random unit vector for each claim without a stored one, for timing "
            "builds and links without encoding them all first (deleted at the end; recall and "
            "MAP@5 not measured)",
        )
        parser.add_argument(
            "--queries",
            type=Path,
            help="dense: statements to search with, a TSV of id and text (CLEF's queries)",
        )
        parser.add_argument(
            "--qrels", type=Path, help="dense: the queries' relevant claims (TREC), for MAP@5"
        )
        # The worker processes the index part starts: not for use by hand.
        parser.add_argument("--index-worker", action="store_true", help="(internal)")

    def handle(self, *args, **options) -> None:
        if options["index_worker"]:
            index_worker()
            return
        try:
            self._run(options)
        except AnalystBenchmarkError as exc:
            raise CommandError(str(exc)) from exc

    def _run(self, options) -> None:
        out = self.stdout.write
        if options["load"]:
            for name, most in [
                ("analysts", MAX_ANALYSTS),
                ("seconds", MAX_SECONDS),
                ("workers", MAX_WORKERS),
            ]:
                if not 0 < options[name] <= most:
                    raise CommandError(f"--{name} must be above 0 and at most {most}")
            out("search and review queue under load (gunicorn on 127.0.0.1):")
            bench_load(
                analyst_count=options["analysts"],
                seconds=options["seconds"],
                workers=options["workers"],
                threads=max(1, options["threads"]),
                rng=random.Random(options["seed"]),
                out=out,
            )
            return
        parts = {part.strip() for part in options["only"].split(",") if part.strip()}
        if unknown := parts - PARTS:
            raise CommandError(f"unknown part(s) {', '.join(sorted(unknown))}")
        if "rescan" in parts and options["claims_file"] is None:
            raise CommandError("--only rescan needs --claims-file (a generate_claims TSV)")
        if options["synthetic_vectors"] and "dense" not in parts:
            raise CommandError("--synthetic-vectors is for --only dense")
        if parts & WEB_PARTS:
            benchmark_run(
                runs=options["runs"], seed=options["seed"], parts=parts & WEB_PARTS, out=out
            )
        if "api" in parts:
            api_benchmark_run(runs=options["runs"], seed=options["seed"], out=out)
        if "analyst" in parts:
            out("analysts' pages one at a time (test client, whole request, as an Analyst):")
            bench_one_at_a_time(runs=options["runs"], rng=random.Random(options["seed"]), out=out)
        if "index" in parts:
            index_benchmark_run(
                claims=options["claims"],
                claims_file=options["claims_file"],
                aliases=options["aliases"],
                seed=options["seed"],
                out=out,
            )
        if "dense" in parts:
            try:
                dense_benchmark_run(
                    claims=options["claims"],
                    claims_file=options["claims_file"],
                    vectors=options["vectors"],
                    queries_file=options["queries"],
                    qrels_file=options["qrels"],
                    seed=options["seed"],
                    out=out,
                    synthetic=options["synthetic_vectors"],
                )
            except (DenseBenchmarkError, VectorsFileError) as exc:
                raise CommandError(str(exc)) from exc
        if "rescan" in parts:
            rescan_benchmark_run(claims_file=options["claims_file"], seed=options["seed"], out=out)
