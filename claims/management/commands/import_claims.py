"""Import claims from a JSON Lines or CSV file (see claims/services/claim_import.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.claim_import import ClaimImportError, claims_import


class Command(BaseCommand):
    help = "Import claims and variants from JSON Lines (.jsonl) or CSV (.csv); safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options) -> None:
        try:
            report = claims_import(path=options["file"])
        except ClaimImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(report))
