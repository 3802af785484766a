from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, ClaimLink, Statement, Suggestion
from claims.services import queueing
from claims.services.extraction.sweeping import articles_requeue_stale
from sources.models import Article, IngestionRun
from tests.sources.services.test_ingestion import article_row
from tests.workers import database_url_for_tests

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


def _ingest(path) -> tuple[CommandError | None, str]:
    """Run the command as an operator would; return its error (if it failed) and stderr."""
    err = StringIO()
    try:
        call_command("ingest", str(path), stdout=StringIO(), stderr=err)
    except CommandError as exc:
        return exc, err.getvalue()
    return None, err.getvalue()


def _between_good_lines(tmp_path, bad: dict | bytes):
    path = tmp_path / "a.jsonl"
    middle = bad if isinstance(bad, bytes) else json.dumps(bad).encode()
    path.write_bytes(
        b"\n".join(
            [json.dumps(article_row(1)).encode(), middle, json.dumps(article_row(3)).encode()]
        )
    )
    return path


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        *[
            (article_row(2, **{field: "a\x00b"}), f"line 2: {field} contains a NUL character")
            for field in ("title", "body", "author", "source")
        ],
        (article_row(2, url="https://trend.example/\x00"), "line 2: url contains a NUL character"),
        (
            article_row(2, language="e\x00n"),
            "line 2: language 'e\\x00n' is not a BCP 47 language tag",
        ),
        (article_row(2, published_at="2025-07-20\x00"), "line 2: published_at contains a NUL"),
        (b'{"url": "https://trend.example/2", "body": "\\ud800"}', "line 2: body holds '\\ud800'"),
        (
            article_row(2, author="A" * 301),
            "line 2: author is 301 characters, over the 300 allowed",
        ),
        (
            article_row(2, language="english"),
            "line 2: language 'english' is not a BCP 47 language tag",
        ),
        (
            article_row(2, language="en-" + "-".join(["abcdefgh"] * 4) + "-x"),
            "line 2: language 'en-ab",
        ),
        (
            article_row(2, source="S" * 201),
            "line 2: source is 201 characters, over the 200 allowed",
        ),
        (
            article_row(2, url="https://trend.example/" + "a" * 2000),
            "line 2: url is 2,022 characters, over the 2,000 allowed",
        ),
        (article_row(2, title=7), "line 2: title must be text, not int"),
        (b"[" * 100_000, "line 2: JSON nested deeper than 20 levels"),
        (b'{"url": ' + b"[" * 30 + b"]" * 30 + b"}", "line 2: JSON nested deeper than 20 levels"),
        (
            article_row(2, published_at="2025-07-20T10:00:00+25:00"),
            "line 2: published_at '2025-07-20T1",
        ),
        (
            article_row(2, published_at="0001-01-01T00:00:00+05:00"),
            "line 2: published_at '0001-01-01T",
        ),
    ],
)
def test_a_bad_value_is_named_and_the_good_records_around_it_land(tmp_path, bad, named) -> None:
    error, stderr = _ingest(_between_good_lines(tmp_path, bad))

    assert named in stderr
    assert error is not None and error.returncode != 0
    run = IngestionRun.objects.get()
    assert run.status == IngestionRun.Status.PARTIAL
    assert (run.new, run.failed) == (2, 1)
    assert run.errors[0]["where"] == "line 2"
    assert set(Article.objects.values_list("url", flat=True)) == {
        "https://trend.example/news/1",
        "https://trend.example/news/3",
    }


def test_a_time_zone_offset_that_cannot_exist_is_named_with_its_line(tmp_path) -> None:
    _ingest(_between_good_lines(tmp_path, article_row(2, published_at="2025-07-20T10:00:00+25:00")))

    assert (
        IngestionRun.objects.get()
        .errors[0]["error"]
        .startswith("line 2: published_at '2025-07-20T10:00:00+25:00' cannot be stored (")
    )


def test_fields_it_does_not_know_are_ignored_whatever_they_hold(tmp_path) -> None:
    extra = {**article_row(2), "extra": {"a": [1]}, "n": 7, "flag": None, "tags": ["x"]}

    error, stderr = _ingest(_between_good_lines(tmp_path, extra))

    assert error is None, stderr
    assert IngestionRun.objects.get().status == IngestionRun.Status.SUCCEEDED
    assert Article.objects.count() == 3


def test_a_csv_cell_past_the_csv_modules_default_limit_is_read(tmp_path) -> None:
    long_body = "The minister said that the talks went well. " * 3_500  # 157,500 characters
    path = tmp_path / "a.csv"
    path.write_text(
        "url,source,title,body,published_at\n"
        f"https://a.example/1,Trend,t,{long_body},2025-07-20\n"
        "https://a.example/2,Trend,t,bad \x00 text,2025-07-20\n"
        "https://a.example/3,Trend,t,good text,2025-07-20\n",
        encoding="utf-8",
    )

    error, stderr = _ingest(path)

    assert "row ending on line 3: body contains a NUL character" in stderr
    assert error is not None and error.returncode != 0
    assert Article.objects.get(url="https://a.example/1").body == long_body
    assert Article.objects.filter(url="https://a.example/3").exists()


def test_a_binary_file_fails_the_run_and_exits_non_zero(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(bytes(range(256)) * 4)

    error, _ = _ingest(path)

    assert error is not None and error.returncode != 0
    assert IngestionRun.objects.get().status == IngestionRun.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_records_are_stored_pending_with_one_warning(
    tmp_path, settings, monkeypatch
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(article_row(n)) for n in (1, 2, 3)), encoding="utf-8")
    # A port bound but not listening: every connection to it is refused at once.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        done = subprocess.run(
            [sys.executable, "manage.py", "ingest", str(path)],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DATABASE_URL": database_url_for_tests(),
                "REDIS_URL": f"redis://127.0.0.1:{closed.getsockname()[1]}/0",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("The broker cannot be reached") == 1
    assert "3 articles stored, pending until the sweeper queues them" in done.stdout
    assert IngestionRun.objects.get().status == IngestionRun.Status.SUCCEEDED
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.PENDING}
    settings.STALE_AFTER_SECONDS = 0
    sent = []
    monkeypatch.setattr(queueing, "_send", lambda task_name, pk: sent.append(pk))
    assert articles_requeue_stale() == 3
    assert sorted(sent) == sorted(Article.objects.values_list("pk", flat=True))
