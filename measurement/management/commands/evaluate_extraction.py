"""python manage.py evaluate_extraction [--data PATH [--language ur,fa] [--misses N] [--json]]"""

from __future__ import annotations

import json as jsonlib
from pathlib import Path
from urllib.parse import unquote

from django.core.management.base import BaseCommand, CommandError

from measurement.extraction_evaluation import (
    FIXTURES,
    BenchmarkError,
    LanguageScore,
    Score,
    annotated_fixtures,
    article_score,
    benchmark_evaluate,
    benchmark_folders,
)


class Command(BaseCommand):
    help = (
        "Score statement extraction. With --data: ingest an annotated benchmark's articles "
        "(one folder per language, each with articles.jsonl and gold.jsonl) into an empty "
        "throwaway schema through `ingest --sync` and score them by the benchmark's rules. "
        "Without: speaker attribution on the hand-written fixtures, speakers pre-registered."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fixtures", type=Path, default=FIXTURES)
        parser.add_argument(
            "--data", type=Path, help="Benchmark folder: language subfolders, or one of them"
        )
        parser.add_argument(
            "--language", default="", help="With --data: comma-separated languages (default all)"
        )
        parser.add_argument(
            "--misses",
            type=int,
            default=0,
            metavar="N",
            help="With --data: print up to N missed or misattributed statements per language",
        )
        parser.add_argument(
            "--export",
            type=Path,
            metavar="FILE",
            help="With --data: write the stored statements in the reference scorer's format "
            "(FILE as given for one language; with several, FILE's name gets -<language>)",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="End with one JSON line"
        )

    def handle(self, *args, data: Path | None, as_json: bool, **options) -> None:
        if data is None:
            self._fixtures(options["fixtures"], as_json)
            return
        try:
            folders = benchmark_folders(data, options["language"].split(","))
        except BenchmarkError as exc:
            raise CommandError(str(exc)) from exc
        scores: list[LanguageScore] = []
        for language, folder in folders.items():
            self.stderr.write(f"{language}: ingesting {folder} into an empty schema …")
            try:
                score, extracted = benchmark_evaluate(folder=folder, language=language)
            except BenchmarkError as exc:
                raise CommandError(str(exc)) from exc
            scores.append(score)
            if options["export"]:
                path = _export_path(options["export"], language, several=len(folders) > 1)
                path.write_text(
                    jsonlib.dumps([item.as_json() for item in extracted], ensure_ascii=False),
                    encoding="utf-8",
                )
                self.stderr.write(f"{language}: {len(extracted)} statements written to {path}")
        total = LanguageScore("all")
        for score in scores:
            total.add(score)
        self.stdout.write(_HEADER)
        for score in [*scores, total] if len(scores) > 1 else scores:
            self.stdout.write(_benchmark_row(score))
        for score in scores:
            self._misses(score, options["misses"])
        if as_json:
            self.stdout.write(
                _json({score.language: score.as_json() for score in [*scores, total]})
            )

    def _misses(self, score: LanguageScore, limit: int) -> None:
        if limit <= 0 or not score.misses:
            return
        self.stdout.write(
            f"-- {score.language}: {min(limit, len(score.misses))} of {len(score.misses)} "
            "gold statements not found or with the wrong speaker"
        )
        for miss in score.misses[:limit]:
            found = " / ".join(miss.found[:3]) if miss.found else "(not found)"
            self.stdout.write(
                f"{unquote(miss.url)}\n  gold:  {miss.gold.speaker}\n  found: {found}"
            )
            self.stdout.write(f"  {miss.gold.kind}: {miss.context}")

    def _fixtures(self, fixtures: Path, as_json: bool) -> None:
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


_HEADER = (
    f"{'lang':4} {'articles':>8} {'named':>5} {'extracted':>9} {'found':>5} {'right':>5} "
    f"{'recall':>6} {'attrib':>6} {'prec':>6} {'unattr':>6} {'skipped':>7} {'failed':>6} "
    f"{'other lang':>10}"
)


def _benchmark_row(score: LanguageScore) -> str:
    return (
        f"{score.language:4} {score.articles:8d} {score.gold_named:5d} {score.extracted:9d} "
        f"{score.found:5d} {score.right:5d} {score.recall:6.3f} {score.attributed_recall:6.3f} "
        f"{score.precision:6.3f} {score.gold_unattributed:6d} {score.unattributed_skipped:7d} "
        f"{score.failed:6d} {score.other_language:10d}"
    )


def _export_path(path: Path, language: str, *, several: bool) -> Path:
    return path.with_name(f"{path.stem}-{language}{path.suffix}") if several else path


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
