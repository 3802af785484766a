"""python manage.py build_matching_index [--if-stale | --from-scratch]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.matching_shared import SharedIndexError, shared_index_refresh
from claims.services.vector_store import VectorStoreError


class Command(BaseCommand):
    help = (
        "Build this machine's saved claim index (under CLAIMLEDGER_MATCH_INDEX_DIR), which every "
        "worker on the machine memory-maps; workers switch to it at their next match."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Only if there is none yet or enough claims changed since the last build",
        )
        parser.add_argument(
            "--from-scratch",
            action="store_true",
            help="Analyse every claim again instead of reusing the current build's analysis",
        )

    def handle(self, *args, **options) -> None:
        if options["if_stale"] and options["from_scratch"]:
            raise CommandError("--if-stale and --from-scratch: choose one")
        try:
            result = shared_index_refresh(
                force=not options["if_stale"], reuse=not options["from_scratch"]
            )
        except (SharedIndexError, VectorStoreError) as exc:
            raise CommandError(str(exc)) from exc
        if result.path is None:
            self.stdout.write(f"Not built: {result.skipped}.")
            return
        self.stdout.write(
            f"{result.claims} claims ({result.documents} documents, {result.analysed} phrasings "
            f"analysed) in {result.seconds:.1f} s: {result.path}"
        )
