"""python manage.py benchmark [--runs 20] [--only search,admin,export,alerts,api,analyst]
python manage.py benchmark --load [--analysts 8] [--seconds 30] [--workers N] [--threads 1]"""

from __future__ import annotations

import os
import random

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
from measurement.web_benchmark import benchmark_run

# Parts timed by web_benchmark.benchmark_run; the others have their own runner below.
WEB_PARTS = {"search", "admin", "export", "alerts"}
PARTS = WEB_PARTS | {"api", "analyst"}


class Command(BaseCommand):
    help = (
        "Time search, the admin statement list, the CSV export, what alerts add to ingestion, "
        "the REST API and the analysts' pages on the current data; --load runs signed-in "
        "analysts at once against a local gunicorn."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--only", default=",".join(sorted(PARTS)), help=f"any of {', '.join(sorted(PARTS))}"
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

    def handle(self, *args, **options) -> None:
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
        if parts & WEB_PARTS:
            benchmark_run(
                runs=options["runs"], seed=options["seed"], parts=parts & WEB_PARTS, out=out
            )
        if "api" in parts:
            api_benchmark_run(runs=options["runs"], seed=options["seed"], out=out)
        if "analyst" in parts:
            out("analysts' pages one at a time (test client, whole request, as an Analyst):")
            bench_one_at_a_time(runs=options["runs"], rng=random.Random(options["seed"]), out=out)
