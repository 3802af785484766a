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


def test_it_names_every_bad_line_and_writes_nothing(tmp_path) -> None:
    rows = [
        ROWS[0],
        {"id": "C3", "text": "", "language": "en"},
        {"id": "C4", "text": "Fine", "language": "English"},
        {"id": "C1", "text": "Again", "language": "en", "status": "maybe"},
    ]
    path = write_jsonl(tmp_path / "claims.jsonl", rows)
    path.write_text(path.read_text() + "{not json\n")

    with pytest.raises(ClaimImportError) as error:
        claims_import(path=path)

    message = str(error.value)
    assert "line 2: text is missing" in message
    assert "line 3: language 'English'" in message
    assert "line 4: status 'maybe'" in message
    assert "line 4: id 'C1' already used on line 1" in message
    assert "line 5: not JSON" in message
    assert not Claim.objects.exists()


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


def test_the_command_reports_a_bad_file_as_an_error(tmp_path) -> None:
    path = write_jsonl(tmp_path / "claims.jsonl", [{"text": "No language"}])
    with pytest.raises(CommandError, match="line 1: language None"):
        call_command("import_claims", str(path))


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
