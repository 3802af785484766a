"""evaluate_matching: the benchmark's interface, run in a schema of its own."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from claims.models import Claim, Speaker, SpeakerAlias, Statement
from measurement.matching_evaluation import _average_precision, queries_load
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

CLAIMS = [
    ("c-bridge", "The harbour bridge will close for repairs in spring", "Bridge Closing?"),
    ("c-rates", "The central bank raised interest rates to twelve percent", "Rates Raised"),
    ("c-ash", "Volcanic ash grounded every flight in Iceland", ""),
]
QUERIES = [
    ("q1", "Heads up: harbour bridge closes for repairs https://t.co/x — Ann (@ann) May 4, 2016"),
    ("q2", "Wow #InterestRates at twelve percent, the bank raised them again"),
]


def write_tsv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter="\t")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_it_prints_the_metrics_and_ends_with_one_json_line(tmp_path) -> None:
    ClaimFactory(text="A claim of the user's own")
    claims = write_tsv(tmp_path / "claims.tsv", ["id", "text", "title"], CLAIMS)
    queries = write_tsv(tmp_path / "queries.tsv", ["id", "text"], QUERIES)
    qrels = tmp_path / "qrels"
    qrels.write_text("q1 0 c-bridge 1\nq2 0 c-rates 1\n")
    out = StringIO()

    call_command(
        "evaluate_matching",
        "--claims",
        str(claims),
        "--queries",
        str(queries),
        "--qrels",
        str(qrels),
        "--json",
        stdout=out,
    )

    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert list(figures) == [
        "map@1",
        "map@5",
        "mrr",
        "success@10",
        "latency_p50_ms",
        "latency_p95_ms",
        "index_seconds",
        "queries",
    ]
    assert figures["map@5"] == 1.0
    assert figures["queries"] == 2
    # The user's data is untouched and the throwaway schema is gone.
    assert list(Claim.objects.values_list("text", flat=True)) == ["A claim of the user's own"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'evaluation_%%'")
        assert cursor.fetchone()[0] == 0


def test_average_precision_divides_by_the_relevant_claims() -> None:
    # CheckThat!: two relevant claims, one found at rank 2 → (1/2) / 2.
    assert _average_precision(["x", "a", "y"], {"a", "b"}, 5) == 0.25
    assert _average_precision(["a"], {"a"}, 1) == 1.0


def test_queries_loaded_again_keep_their_statements() -> None:
    # A second `benchmark --only dense --qrels` on the same database loads the queries again.
    queries = [list(query) for query in QUERIES]
    first = queries_load(queries)
    counts = (Statement.objects.count(), Speaker.objects.count(), SpeakerAlias.objects.count())

    again = queries_load([*queries, ["q3", "Ferries stop at midnight — Bo (@bo) May 5, 2016"]])

    assert {query: again[query] for query in first} == first
    assert list(again) == ["q1", "q2", "q3"]
    assert Statement.objects.count() == counts[0] + 1
    assert Statement.objects.get(pk=again["q3"]).speaker.name == "Bo"
    assert (Speaker.objects.count(), SpeakerAlias.objects.count()) == (counts[1] + 1, counts[2] + 1)
