from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand

from claims.services.extraction_evaluation import FIXTURES, Score, annotated_fixtures, article_score


class Command(BaseCommand):
    help = "Precision and recall of speaker attribution on the hand-annotated articles."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fixtures", type=Path, default=FIXTURES)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="End with one JSON line"
        )

    def handle(self, *args, fixtures: Path, as_json: bool, **options) -> None:
        by_language: dict[str, Score] = {}
        total = Score("all", "all")
        self.stdout.write(f"{'article':32} {'lang':4} {'gold':>4} {'found':>5} {'P':>6} {'R':>6}")
        for article in annotated_fixtures(fixtures):
            score = article_score(article)
            by_language.setdefault(score.language, Score(score.language, score.language)).add(score)
            total.add(score)
            self.stdout.write(_row(score))
        self.stdout.write("-- by language")
        for score in by_language.values():
            self.stdout.write(_row(score))
        self.stdout.write(_row(total))
        if as_json:
            self.stdout.write(
                _json({s.language: _figures(s) for s in [*by_language.values(), total]})
            )


def _row(score: Score) -> str:
    return (
        f"{score.name:32} {score.language:4} {score.annotated:4d} {score.found:5d} "
        f"{score.precision:6.2f} {score.recall:6.2f}"
    )


def _figures(score: Score) -> dict:
    return {
        "precision": round(score.precision, 3),
        "recall": round(score.recall, 3),
        "annotated": score.annotated,
        "found": score.found,
    }


def _json(data: dict) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
