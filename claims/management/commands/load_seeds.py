from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.services.seeds import DEFAULT_SEED_FILE, SeedError, seeds_load


class Command(BaseCommand):
    help = "Load the seed story (source, article, speakers, statements, claims, links). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_SEED_FILE, help="Seed JSON file")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            report = seeds_load(path=file)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"load_seeds: {report}")
