"""python manage.py generate_dataset --statements 1000000 --claims 100000 --articles 200000"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from measurement.dataset import DatasetError, dataset_generate


class Command(BaseCommand):
    help = "Add a realistic multilingual data set (ur, fa, ar, en, az, ru) of the given size."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--statements", type=int, default=10_000)
        parser.add_argument("--claims", type=int, default=1_000)
        parser.add_argument("--articles", type=int, default=2_000)
        parser.add_argument("--speakers", type=int, help="default: one per 200 statements")
        parser.add_argument("--sources", type=int, help="default: one per 400 articles")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {message}")

        try:
            report = dataset_generate(
                statements=options["statements"],
                claims=options["claims"],
                articles=options["articles"],
                speakers=options["speakers"],
                sources=options["sources"],
                seed=options["seed"],
                progress=progress,
            )
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"created {report} in {time.monotonic() - started:.0f} s")
