from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, ClaimLink, Statement, Suggestion
from sources.models import IngestionRun

pytestmark = pytest.mark.django_db

DENIAL = (
    "شاہین مصطفیاف نے کہا کہ آذربائیجان ایران پر کسی بھی حملے کے لیے اپنی زمین استعمال کرنے "
    "کی اجازت نہیں دے گا۔"
)


def test_sync_ingestion_extracts_and_suggests_claims_without_workers(seeded, tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    row = {
        "url": "https://urdu.example/2",
        "source": "Mehr News Agency",
        "title": "",
        "body": DENIAL,
        "published_at": "2025-07-21",
    }
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("ingest", str(path), "--sync", stdout=out)
    assert "new=1 duplicate=0 failed=0" in out.getvalue()
    denial = Statement.objects.get(article__url="https://urdu.example/2")
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    assert (
        Suggestion.objects.filter(statement=denial, claim=claim).exists()
        or ClaimLink.objects.filter(statement=denial, claim=claim).exists()
    )


def test_a_failed_run_is_reported_with_its_reason(db, tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("url,body\n", encoding="utf-8")
    with pytest.raises(CommandError, match="CSV header lacks the column"):
        call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())
    assert IngestionRun.objects.get().status == IngestionRun.Status.FAILED


@pytest.mark.parametrize("symbol", ["+", "@", "#", "(", "$", "<"])
def test_a_quote_opening_with_a_symbol_is_stored_as_one_statement(
    db, tmp_path, symbol: str
) -> None:
    path = tmp_path / "a.jsonl"
    row = {
        "url": "https://news.example/growth",
        "source": "Example News",
        "body": f'John Carter said "{symbol}5% growth is expected in the coming year, he told us."',
        "language": "en",
        "published_at": "2025-07-21",
    }
    path.write_text(json.dumps(row), encoding="utf-8")
    call_command("ingest", str(path), "--sync", stdout=StringIO())
    statement = Statement.objects.get()
    assert (statement.start, statement.kind, statement.speaker.name) == (18, "quote", "John Carter")
    assert statement.text.startswith(f"{symbol}5%")
