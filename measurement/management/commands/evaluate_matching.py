"""Measure claim linking on a claim-retrieval benchmark (see measurement/matching_evaluation.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from measurement.matching_evaluation import EvaluationError, matching_evaluate
from measurement.vectors import VectorsFileError


class Command(BaseCommand):
    help = "Rank benchmark claims for benchmark queries through the link task's code path."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=Path, required=True, help="TSV: id, text, title")
        parser.add_argument("--queries", type=Path, required=True, help="TSV: id, text")
        parser.add_argument("--qrels", type=Path, required=True, help="TREC: qid 0 claim_id 1")
        parser.add_argument("--json", action="store_true", help="End with one JSON line")
        parser.add_argument(
            "--in-memory",
            action="store_true",
            help="Compute the claim index in this process instead of building a saved one",
        )

        parser.add_argument(
            "--vectors",
            type=Path,
            help="With CLAIMLEDGER_ENCODER: a folder of .npz chunks (digests, vectors) encoded "
            "earlier by the same model, stored before the build (benchmark --only dense)",
        )

    def handle(self, *args, **options) -> None:
        try:
            metrics = matching_evaluate(
                claims_path=options["claims"],
                queries_path=options["queries"],
                qrels_path=options["qrels"],
                shared=not options["in_memory"],
                vectors=options["vectors"],
                out=self.stdout.write,
            )
        except (EvaluationError, VectorsFileError) as exc:
            raise CommandError(str(exc)) from exc
        figures = metrics.as_json()
        for key, value in figures.items():
            self.stdout.write(f"{key:>16}  {value}")
        if options["json"]:
            self.stdout.write(json.dumps(figures))
