"""Import claims from a JSON Lines or CSV file (see claims/services/claim_import.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.claim_import import ClaimImportError, claims_import

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import claims and variants from JSON Lines (.jsonl) or CSV (.csv); safe to repeat. "
        "Bad rows are named and skipped (exit status 1); --strict refuses the whole file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Write nothing when any row is bad (default: write the good rows, skip the bad)",
        )

    def handle(self, *args, file: Path, strict: bool, **options) -> None:
        try:
            report = claims_import(path=file, strict=strict)
        except ClaimImportError as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"  {error}")
        if len(report.errors) > SHOWN_ERRORS:
            self.stderr.write(f"  … and {len(report.errors) - SHOWN_ERRORS} more")
        if report.skipped_lines:
            raise CommandError(f"{file}: {report}")
        self.stdout.write(str(report))
