"""Import claims with their verdicts from ClaimReview JSON-LD (see claimreview_import)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.claimreview_import import ClaimReviewImportError, claim_reviews_import

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import ClaimReview JSON-LD (one object, a list, a DataFeed, or an HTML page with "
        "embedded JSON-LD) from a path or URL; safe to repeat (keyed by review URL). Bad "
        "reviews are named and skipped (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="File path or http(s) URL")

    def handle(self, *args, target: str, **options) -> None:
        try:
            report = claim_reviews_import(target=target)
        except ClaimReviewImportError as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"  {error}")
        if len(report.errors) > SHOWN_ERRORS:
            self.stderr.write(f"  … and {len(report.errors) - SHOWN_ERRORS} more")
        if report.skipped:
            raise CommandError(f"{target}: {report}")
        self.stdout.write(str(report))
