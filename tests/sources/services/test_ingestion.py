"""Storing: each record once, in its own transaction; the run counts and names what failed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sources.models import Article, IngestionRun
from sources.services.ingestion import IngestionError, ingest

pytestmark = pytest.mark.django_db

URDU_BODY = "شاہین مصطفیاف نے کہا کہ آذربائیجان اپنی زمین کسی حملے کے لیے استعمال نہیں ہونے دے گا۔"


def _jsonl(path: Path, rows: list) -> Path:
    lines = [
        row if isinstance(row, bytes) else json.dumps(row, ensure_ascii=False).encode()
        for row in rows
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def article_row(n: int, **fields) -> dict:
    """A valid JSON Lines record, numbered; `fields` replace or add to it."""
    return {
        "url": f"https://trend.example/news/{n}",
        "source": "Trend",
        "title": f"Report {n}",
        "body": f"Report number {n}: the minister said that the talks went well.",
        "published_at": "2025-07-20T10:00:00Z",
        **fields,
    }


def test_a_file_ingested_twice_creates_nothing_the_second_time(tmp_path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl", [article_row(1), article_row(2), article_row(3, body=URDU_BODY)]
    )
    first = ingest(target=str(path))
    second = ingest(target=str(path))
    assert (first.new, first.duplicates, first.failed) == (3, 0, 0)
    assert (second.new, second.duplicates, second.failed) == (0, 3, 0)
    assert Article.objects.count() == 3
    assert first.status == second.status == IngestionRun.Status.SUCCEEDED
    assert first.finished_at is not None


def test_bad_lines_are_named_and_good_lines_still_land(tmp_path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [
            article_row(1),
            b"{not json",
            b'{"url": "https://x.example/2", "body": "\xff\xfe bad"}',
            article_row(4, body="  "),
            article_row(5),
        ],
    )
    run = ingest(target=str(path))
    errors = [e["error"] for e in run.errors]
    assert run.status == IngestionRun.Status.PARTIAL
    assert (run.new, run.failed) == (2, 3)
    assert errors[0].startswith("line 2: malformed JSON")
    assert errors[1] == "line 3: invalid UTF-8 at byte 40"
    assert errors[2] == "line 4: empty body"
    assert set(Article.objects.values_list("url", flat=True)) == {
        "https://trend.example/news/1",
        "https://trend.example/news/5",
    }


def test_an_enormous_body_is_refused_by_the_configured_limit(tmp_path, settings) -> None:
    settings.ARTICLE_MAX_CHARS = 100
    run = ingest(
        target=str(_jsonl(tmp_path / "a.jsonl", [article_row(1, body="x " * 80), article_row(2)]))
    )
    assert run.new == 1
    assert run.errors[0]["error"] == (
        "line 1: body of 160 characters is over the 100-character limit "
        "(CLAIMLEDGER_MAX_ARTICLE_CHARS)"
    )


def test_a_stated_language_wins_and_others_are_detected(tmp_path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [article_row(1, body=URDU_BODY), article_row(2, body=URDU_BODY + " اور", language="fa")],
    )
    ingest(target=str(path))
    languages = dict(Article.objects.values_list("url", "language"))
    assert languages["https://trend.example/news/1"] == "ur"
    assert languages["https://trend.example/news/2"] == "fa"


def test_the_same_text_under_another_url_counts_as_a_duplicate(tmp_path) -> None:
    run = ingest(
        target=str(
            _jsonl(
                tmp_path / "a.jsonl", [article_row(1), article_row(2, body=article_row(1)["body"])]
            )
        )
    )
    assert (run.new, run.duplicates) == (1, 1)
    copy = Article.objects.get(url="https://trend.example/news/2")
    assert copy.duplicate_of.url == "https://trend.example/news/1"
    assert copy.status == Article.Status.PROCESSED


def test_an_unknown_source_name_is_refused_before_reading(tmp_path) -> None:
    with pytest.raises(IngestionError, match="unknown source 'Nope'"):
        ingest(target=str(tmp_path), source_name="Nope")


def test_a_run_stopped_by_an_unexpected_error_is_closed_as_failed(tmp_path, monkeypatch) -> None:
    def broken(**fields):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sources.services.ingestion.article_create", broken)

    with pytest.raises(RuntimeError):
        ingest(target=str(_jsonl(tmp_path / "a.jsonl", [article_row(1)])))

    run = IngestionRun.objects.get()
    assert run.status == IngestionRun.Status.FAILED
    assert run.finished_at is not None
    assert run.error == "stopped after 1 records by RuntimeError: disk on fire"
