"""Measure the REST API on whatever data the database holds (`benchmark --only api`).

GET /api/v1/statements with the search page's own cases (each a search with filters), and
POST /api/v1/articles in batches: the whole request through Django's test client, token
authentication and the Redis rate counter included. The articles posted are new (their URLs
carry the run's time) and stay in the database, their extraction queued: run it on a
benchmark database, not production.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.test import Client, override_settings

from api.services.tokens import token_create
from measurement.dataset_words import PLACES, WORDS
from measurement.web_benchmark import Timing, _time, _user, search_cases


def _client() -> Client:
    issued = token_create(user=_user(), name="benchmark")
    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {issued.key}")


@override_settings(API_REQUESTS_PER_MINUTE=10**9)
def bench_api_statements(runs: int, rng: random.Random, out: Callable[[str], None]) -> list[Timing]:
    client = _client()
    samples: list[float] = []
    ranked: list[float] = []
    for label, params in search_cases(rng):

        def get(params=params, label=label):
            response = client.get("/api/v1/statements/", params)
            assert response.status_code == 200, (label, response.status_code)

        case = _time(get, runs)
        (ranked if params.get("order") == "relevance" else samples).extend(case)
        out(f"  {Timing(label, case)}")
    return [
        Timing("GET /api/v1/statements with filters", samples),
        Timing("  the same with order=relevance", ranked),
    ]


def _articles(rng: random.Random, count: int, stamp: str, *, language: bool) -> list[dict]:
    records = []
    languages = list(WORDS)
    for n in range(count):
        lang = languages[n % len(languages)]
        words = [rng.choice(WORDS[lang]) for _ in range(200)]
        place = rng.choice(PLACES[lang])
        body = f"{place}. " + " ".join(words) + f" {stamp}-{n}."
        record = {
            "url": f"https://bench.example/{stamp}/{n}",
            "title": f"{place} {n}",
            "body": body,
            "published_at": "2026-11-29T10:00:00Z",
            "source": "API benchmark",
        }
        if language:
            record["language"] = lang
        records.append(record)
    return records


@override_settings(API_REQUESTS_PER_MINUTE=10**9)
def bench_api_ingest(
    rng: random.Random, out: Callable[[str], None], *, total: int = 1000, batch: int = 100
) -> None:
    client = _client()
    for language in (True, False):
        stamp = f"{time.time_ns()}"
        records = _articles(rng, total, stamp, language=language)
        started = time.perf_counter()
        accepted = 0
        for i in range(0, total, batch):
            response = client.post(
                "/api/v1/articles/", records[i : i + batch], content_type="application/json"
            )
            assert response.status_code == 202, response.content[:500]
            accepted += response.json()["new"]
        seconds = time.perf_counter() - started
        how = "language given" if language else "language detected"
        out(
            f"  POST /api/v1/articles, {total} articles in batches of {batch} ({how}): "
            f"{accepted} accepted in {seconds:.2f} s = {accepted / seconds:,.0f} articles/s"
        )


def api_benchmark_run(*, runs: int, seed: int, out: Callable[[str], None]) -> None:
    rng = random.Random(seed)
    out("REST API, GET /api/v1/statements (test client, whole request, token auth):")
    for timing in bench_api_statements(runs, rng, out):
        out(f"  => {timing}")
    out("REST API, POST /api/v1/articles:")
    bench_api_ingest(rng, out)
