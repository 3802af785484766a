"""import_claims: JSON Lines or CSV, every row checked first, idempotent by external id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, ClaimVariant
from claims.services.claim_import import ClaimImportError, claims_import

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "id": "C1",
        "text": "Azerbaijan allowed its territory to be used for the attack on Iran",
        "language": "en",
        "variants": [
            {"language": "ur", "text": "آذربائیجان نے ایران پر حملے کے لیے اپنی زمین دی"},
            {"language": "fa", "text": "جمهوری آذربایجان اجازه داد از خاکش استفاده شود"},
        ],
        "status": "denied",
    },
    {"id": "C2", "text": "The harbour bridge will close in spring", "language": "en"},
]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


def test_it_imports_claims_with_their_variants(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report = claims_import(path=write_jsonl(tmp_path / "claims.jsonl", ROWS))

    assert report.claims_created == 2
    assert report.variants_created == 2
    claim = Claim.objects.get(external_id="C1")
    assert claim.status == "denied"
    assert sorted(claim.variants.values_list("language", flat=True)) == ["fa", "ur"]
    # Each new claim is searched for in recent statements once the import commits.
    assert len(callbacks) == 2


def test_importing_the_same_file_twice_changes_nothing(tmp_path) -> None:
    path = write_jsonl(tmp_path / "claims.jsonl", ROWS)
    claims_import(path=path)

    report = claims_import(path=path)

    assert (report.claims_created, report.variants_created, report.unchanged) == (0, 0, 2)
    assert Claim.objects.count() == 2
    assert ClaimVariant.objects.count() == 2


def test_a_new_variant_for_a_known_claim_is_added(tmp_path) -> None:
    claims_import(path=write_jsonl(tmp_path / "a.jsonl", ROWS))
    more = [{**ROWS[1], "variants": [{"language": "de", "text": "Die Brücke schließt"}]}]

    report = claims_import(path=write_jsonl(tmp_path / "b.jsonl", more))

    assert (report.claims_created, report.variants_created) == (0, 1)


def _bad_file(tmp_path) -> Path:
    rows = [
        ROWS[0],
        {"id": "C3", "text": "", "language": "en"},
        {"id": "C4", "text": "Fine", "language": "English"},
        {"id": "C1", "text": "Again", "language": "en", "status": "maybe"},
    ]
    path = write_jsonl(tmp_path / "claims.jsonl", rows)
    path.write_text(path.read_text() + "{not json\n")
    return path


BAD_FILE_ERRORS = [
    "line 2: text is missing",
    "line 3: language 'English'",
    "line 4: status 'maybe'",
    "line 4: id 'C1' already used on line 1",
    "line 5: malformed JSON",
]


def test_it_names_every_bad_line_and_imports_the_good_ones(tmp_path) -> None:
    report = claims_import(path=_bad_file(tmp_path))

    for named in BAD_FILE_ERRORS:
        assert any(error.startswith(named) for error in report.errors), named
    assert report.skipped_lines == 4
    assert list(Claim.objects.values_list("external_id", flat=True)) == ["C1"]
    assert Claim.objects.get().text == ROWS[0]["text"]


def test_strict_refuses_the_whole_file_and_names_every_bad_line(tmp_path) -> None:
    with pytest.raises(ClaimImportError) as error:
        claims_import(path=_bad_file(tmp_path), strict=True)

    for named in BAD_FILE_ERRORS:
        assert named in str(error.value)
    assert not Claim.objects.exists()


def test_the_command_lists_the_skipped_lines_and_exits_non_zero(tmp_path, capsys) -> None:
    error = _import(_bad_file(tmp_path))

    assert error.returncode != 0
    assert "1 claims and 2 variants created" in str(error)
    assert "4 bad lines skipped" in str(error)
    assert "line 3: language 'English'" in capsys.readouterr().err


def test_it_reads_csv_with_a_column_per_variant_language(tmp_path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(
        "id,text,language,status,variant_ur\n"
        'C1,"Azerbaijan allowed its territory, critics say",en,unverified,آذربائیجان نے اجازت دی\n'
        "C2,The bridge will close,en,,\n",
        encoding="utf-8",
    )

    call_command("import_claims", str(path))

    assert Claim.objects.get(external_id="C1").variants.get().language == "ur"
    assert Claim.objects.get(external_id="C2").status == "unverified"


def test_the_command_with_strict_reports_a_bad_file_as_an_error(tmp_path) -> None:
    path = write_jsonl(tmp_path / "claims.jsonl", [ROWS[1], {"text": "No language"}])
    with pytest.raises(CommandError, match="line 2: language None"):
        call_command("import_claims", str(path), "--strict")
    assert not Claim.objects.exists()


def test_every_imported_claim_and_variant_has_a_history_row(tmp_path) -> None:
    rows = [ROWS[0], {**ROWS[1], "variants": [{"language": "de", "text": "Die Brücke schließt"}]}]
    path = write_jsonl(tmp_path / "claims.jsonl", rows)

    call_command("import_claims", str(path))
    call_command("import_claims", str(path))

    for model, count in [(Claim, 2), (ClaimVariant, 3)]:
        history = model.history.all()
        assert sorted(h.id for h in history) == sorted(model.objects.values_list("pk", flat=True))
        assert len(history) == count
        assert {(h.history_type, h.history_user, h.history_change_reason) for h in history} == {
            ("+", None, "import_claims")
        }


def _import(path: Path) -> CommandError:
    with pytest.raises(CommandError) as error:
        call_command("import_claims", str(path))
    return error.value


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"text": "Bridge\x00closes", "language": "en"}, "line 2: text contains a NUL character"),
        ({"text": "Fine", "language": "en", "gloss_en": "\x00"}, "line 2: gloss_en contains a NUL"),
        (
            {"text": "Fine", "language": "en-" + "-".join(["abcdefgh"] * 4) + "-x"},
            "line 2: language 'en-abcdefgh",
        ),
        ({"text": "Fine", "language": "e\x00n"}, "line 2: language 'e\\x00n' is not a BCP 47"),
        ({"text": "x" * 2_001, "language": "en"}, "line 2: text is 2,001 characters, over the"),
        (
            {
                "text": "Fine",
                "language": "en",
                "variants": [{"language": "ur", "text": "ب" * 1400}],
            },
            "line 2: variant 1 text is 2,800 bytes in UTF-8, over the 2,600",
        ),
        (
            {"text": "Fine", "language": "en", "variants": [{"language": "english", "text": "x"}]},
            "line 2: variant 1 language 'english' is not a BCP 47",
        ),
        ('{"text": "a\\ud800", "language": "en"}', "line 2: text holds '\\ud800'"),
        ('{"text": ' + "[" * 100_000, "line 2: JSON nested deeper than 20 levels"),
    ],
)
def test_a_bad_value_is_named_and_its_row_skipped(tmp_path, bad, named, capsys) -> None:
    path = tmp_path / "claims.jsonl"
    middle = bad if isinstance(bad, str) else json.dumps(bad, ensure_ascii=False)
    path.write_text(
        "\n".join([json.dumps(ROWS[1]), middle, json.dumps({**ROWS[1], "id": "C3"})]),
        encoding="utf-8",
    )

    error = _import(path)

    assert named in capsys.readouterr().err
    assert error.returncode != 0
    assert "1 bad lines skipped" in str(error)
    assert sorted(Claim.objects.values_list("external_id", flat=True)) == ["C2", "C3"]


def test_the_claim_limit_is_a_setting(tmp_path, settings, capsys) -> None:
    settings.CLAIM_MAX_CHARS = 10
    _import(write_jsonl(tmp_path / "claims.jsonl", [ROWS[1]]))
    assert "line 1: text is 39 characters, over the 10 allowed" in capsys.readouterr().err


def test_a_csv_cell_past_the_csv_modules_default_limit_is_named_by_its_row(
    tmp_path, capsys
) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(
        f"id,text,language,variant_ur\nC1,{'x' * 150_000},en,\nC2,Fine,en,ٹھیک\x00\n",
        encoding="utf-8",
    )

    _import(path)
    message = capsys.readouterr().err

    assert "line 2: text is 150,000 characters, over the 2,000 allowed" in message
    assert "line 3: variant 1 text contains a NUL character" in message


def test_a_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path) -> None:
    row = {"id": "C9", "text": "One\u2028claim", "language": "en"}
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")

    claims_import(path=path)

    assert Claim.objects.get().text == "One\u2028claim"
