"""Write a claims TSV grown with synthetic claims, to measure the matcher at scale."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Copy a benchmark claims TSV (id, text, title) and add synthetic claims made of its "
        "own words, so the collection grows FACTOR times with a realistic vocabulary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=Path, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--factor", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        csv.field_size_limit(10**8)
        try:
            with options["claims"].open(newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f, delimiter="\t"))
        except OSError as exc:
            raise CommandError(f"cannot read {options['claims']}: {exc}") from exc
        header, claims = rows[0], rows[1:]
        if header[:3] != ["id", "text", "title"]:
            raise CommandError(f"{options['claims']}: expected the header id, text, title")
        rng = random.Random(options["seed"])
        words = [word for _, text, title in claims for word in f"{text} {title}".split()]
        with options["out"].open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, delimiter="\t")
            writer.writerow(["id", "text", "title"])
            writer.writerows(row[:3] for row in claims)
            for n in range(len(claims) * (options["factor"] - 1)):
                # Same length as a real claim, words drawn by their frequency in the collection.
                _, text, title = rng.choice(claims)
                writer.writerow(
                    [
                        f"generated-{n}",
                        " ".join(rng.choices(words, k=len(text.split()))),
                        " ".join(rng.choices(words, k=len(title.split()))),
                    ]
                )
        self.stdout.write(f"{len(claims) * options['factor']} claims written to {options['out']}")
