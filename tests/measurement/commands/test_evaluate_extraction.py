"""evaluate_extraction --data: an annotated benchmark ingested into an empty throwaway schema."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from claims.models import Speaker, SpeakerAlias, Statement
from sources.models import Article

pytestmark = pytest.mark.django_db

BENCHMARK = Path(settings.BASE_DIR) / "tests" / "fixtures" / "extraction_benchmark"


def evaluate(*args: str) -> tuple[str, dict]:
    out = StringIO()
    call_command(
        "evaluate_extraction",
        "--data",
        str(BENCHMARK),
        *args,
        "--json",
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue(), json.loads(out.getvalue().strip().splitlines()[-1])


def scratch_schemas() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'evaluation_%%'")
        return cursor.fetchone()[0]


def test_it_reports_each_language_and_the_totals() -> None:
    output, figures = evaluate()

    assert list(figures) == ["en", "ur", "all"]
    assert "lang articles named extracted found right" in output
    en, ur, total = figures["en"], figures["ur"], figures["all"]
    assert (en["articles"], en["gold_named"], en["gold_unattributed"]) == (2, 2, 1)
    assert (ur["articles"], ur["gold_named"], ur["gold_unattributed"]) == (1, 1, 1)
    # Plain "X said that …" sentences with capitalised names: any extractor finds them.
    assert (en["found"], en["right"], en["recall"], en["attributed_recall"]) == (2, 2, 1.0, 1.0)
    assert total["gold_named"] == 3
    assert total["found"] == en["found"] + ur["found"]
    assert total["precise"] <= total["extracted"]
    assert (en["failed"], en["other_language"]) == (0, 0)


def test_it_scores_one_language_folder_given_directly() -> None:
    _, figures = evaluate("--language", "en")
    assert list(figures) == ["en", "all"]

    out = StringIO()
    call_command(
        "evaluate_extraction",
        "--data",
        str(BENCHMARK / "ur"),
        "--json",
        stdout=out,
        stderr=StringIO(),
    )
    assert list(json.loads(out.getvalue().splitlines()[-1])) == ["ur", "all"]


def test_it_registers_no_speaker_beforehand_and_leaves_the_users_data_alone(tmp_path) -> None:
    # Were the user's speakers visible, the statement would be attributed to this one.
    mine = Speaker.objects.create(name="Registered Lindqvist")
    SpeakerAlias.objects.create(speaker=mine, name="Maria Lindqvist", key="maria lindqvist")
    export = tmp_path / "extracted.json"

    evaluate("--language", "en", "--export", str(export))

    rows = json.loads(export.read_text(encoding="utf-8"))
    assert {row["speaker"][0] for row in rows} == {"Maria Lindqvist", "Tomas Ekberg"}
    assert all("Registered Lindqvist" not in row["speaker"] for row in rows)
    # The export is the reference scorer's input: offsets into the stored body.
    lindqvist = next(row for row in rows if row["speaker"][0] == "Maria Lindqvist")
    assert "bridge will close" in lindqvist["body"][lindqvist["start"] : lindqvist["end"]]
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Registered Lindqvist"]
    assert not Article.objects.exists()
    assert not Statement.objects.exists()


def test_the_scratch_schema_is_dropped_afterwards() -> None:
    evaluate()
    assert scratch_schemas() == 0


def test_it_writes_one_export_per_language_when_several_are_scored(tmp_path) -> None:
    evaluate("--export", str(tmp_path / "extracted.json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extracted-en.json", "extracted-ur.json"]


def test_it_prints_the_misses_with_gold_and_found_speakers() -> None:
    output, figures = evaluate("--misses", "5")
    misses = figures["all"]["gold_named"] - figures["all"]["right"]
    if misses:
        assert "gold statements not found or with the wrong speaker" in output
        assert "  gold:  " in output and "  found: " in output


def test_it_names_a_language_the_folder_lacks() -> None:
    with pytest.raises(CommandError, match="no folder for fa"):
        evaluate("--language", "fa")


def test_without_data_it_scores_the_hand_written_fixtures() -> None:
    out = StringIO()
    call_command("evaluate_extraction", "--json", stdout=out)
    figures = json.loads(out.getvalue().splitlines()[-1])
    assert {"ur", "fa", "ar", "en", "ru", "az", "all"} <= set(figures)
