"""python manage.py benchmark [--runs 20] [--only search,admin,export,alerts,api,index,rescan]
[--claims N --claims-file BIG.tsv]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measurement.api_benchmark import api_benchmark_run
from measurement.index_benchmark import index_benchmark_run, index_worker
from measurement.rescan_benchmark import rescan_benchmark_run
from measurement.web_benchmark import benchmark_run

# Parts timed by web_benchmark.benchmark_run; the others have their own runner below.
WEB_PARTS = {"search", "admin", "export", "alerts"}
DEFAULT_PARTS = WEB_PARTS | {"api"}
# The matcher's parts need a claims file and minutes at scale: only when asked for.
PARTS = DEFAULT_PARTS | {"index", "rescan"}


class Command(BaseCommand):
    help = (
        "Time search, the admin statement list, the CSV export, what alerts add to ingestion "
        "and the REST API on the current data; with --only index or rescan, the matcher's "
        "shared index and claim rescans."
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
            "--claims", type=int, default=100_000, help="index: claims to measure at"
        )
        parser.add_argument(
            "--claims-file",
            type=Path,
            help="index: a claims TSV (generate_claims) to add from until there are --claims",
        )
        # The worker processes the index part starts: not for use by hand.
        parser.add_argument("--index-worker", action="store_true", help="(internal)")

    def handle(self, *args, **options) -> None:
        if options["index_worker"]:
            index_worker()
            return
        out = self.stdout.write
        parts = {part.strip() for part in options["only"].split(",") if part.strip()}
        if unknown := parts - PARTS:
            raise CommandError(f"unknown part(s) {', '.join(sorted(unknown))}")
        if parts & WEB_PARTS:
            benchmark_run(
                runs=options["runs"], seed=options["seed"], parts=parts & WEB_PARTS, out=out
            )
        if "api" in parts:
            api_benchmark_run(runs=options["runs"], seed=options["seed"], out=out)
        if "index" in parts:
            index_benchmark_run(
                claims=options["claims"],
                claims_file=options["claims_file"],
                seed=options["seed"],
                out=out,
            )
        if "rescan" in parts:
            if options["claims_file"] is None:
                raise CommandError("--only rescan needs --claims-file (a generate_claims TSV)")
            rescan_benchmark_run(claims_file=options["claims_file"], seed=options["seed"], out=out)
