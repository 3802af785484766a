"""python manage.py benchmark [--runs 20] [--only search,admin,export,alerts]"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from measurement.web_benchmark import benchmark_run

PARTS = {"search", "admin", "export", "alerts"}


class Command(BaseCommand):
    help = (
        "Time search, the admin statement list, the CSV export and what alerts add to "
        "ingestion, on the current data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--only", default=",".join(sorted(PARTS)))

    def handle(self, *args, **options) -> None:
        parts = {part.strip() for part in options["only"].split(",") if part.strip()}
        benchmark_run(
            runs=options["runs"],
            seed=options["seed"],
            parts=parts & PARTS,
            out=lambda line: self.stdout.write(line),
        )
