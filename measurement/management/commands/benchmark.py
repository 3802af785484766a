"""python manage.py benchmark [--runs 20] [--only search,admin,export,alerts,api]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from measurement.api_benchmark import api_benchmark_run
from measurement.web_benchmark import benchmark_run

# Parts timed by web_benchmark.benchmark_run; the others have their own runner below.
WEB_PARTS = {"search", "admin", "export", "alerts"}
PARTS = WEB_PARTS | {"api"}


class Command(BaseCommand):
    help = (
        "Time search, the admin statement list, the CSV export, what alerts add to ingestion "
        "and the REST API on the current data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--only", default=",".join(sorted(PARTS)), help=f"any of {', '.join(sorted(PARTS))}"
        )

    def handle(self, *args, **options) -> None:
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
