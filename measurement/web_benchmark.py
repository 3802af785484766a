"""Measure search, export and the admin changelist on whatever data the database holds.

`python manage.py benchmark` prints the figures quoted in the README. It times the real
code paths: the search view (query, count, page, render), the CSV export downloaded over
HTTP from a gunicorn worker whose peak RSS is read from /proc, PostgreSQL's own COPY of the
same query for comparison, and the admin changelist through Django's test client.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string

from claims import views
from claims.models import ClaimLink, Statement
from claims.selectors import statement_list
from claims.services import export
from measurement.alerts_benchmark import alerts_benchmark, describe
from measurement.dataset_words import PLACES, WORDS
from measurement.stats import percentile

BENCHMARK_USER = "benchmark"


@dataclass
class Timing:
    name: str
    samples: list[float]
    queries: set[int] | None = None

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95) * 1000

    def __str__(self) -> str:
        line = (
            f"{self.name:<44} n={len(self.samples):<4} p50 {self.p50:7.1f} ms"
            f"  p95 {self.p95:7.1f} ms  max {max(self.samples) * 1000:7.1f} ms"
        )
        if self.queries is not None:
            line += f"  queries {sorted(self.queries)}"
        return line


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm the cache: the figures are for a server in use, not one just started
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def _user():
    user, _ = get_user_model().objects.get_or_create(
        username=BENCHMARK_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    if not user.is_superuser:
        raise RuntimeError(f"user {BENCHMARK_USER!r} exists and is not a superuser")
    return user


def search_cases(rng: random.Random) -> list[tuple[str, dict[str, str]]]:
    """Realistic searches: words in every language, with one or more filters each."""
    stats = Statement.objects.order_by("-id").values("speaker_id", "said_on", "text")[:500]
    samples = list(stats)
    cases = []
    for language in WORDS:
        word = rng.choice(WORDS[language])
        place = rng.choice(PLACES[language])
        sample = rng.choice(samples)
        year = rng.randrange(2019, 2027)
        phrase = " ".join(sample["text"].split()[2:4])
        cases += [
            (f"word + language ({language})", {"q": word, "language": language}),
            (
                f"two words + one year ({language})",
                {"q": f"{word} {place}", "said_on_after": f"{year}-01-01"}
                | {"said_on_before": f"{year}-12-31"},
            ),
            (f'"phrase" ({language})', {"q": f'"{phrase}"'}),
            (f"place + country ({language})", {"q": place, "country": "AZ"}),
            (f"word + speaker ({language})", {"q": word, "speaker": str(sample["speaker_id"])}),
            (f"word + stance denies ({language})", {"q": word, "stance": "denies"}),
            (
                f"word + kind + relevance ({language})",
                {"q": f"{word} {place}", "kind": "quote", "order": "relevance"},
            ),
        ]
    return cases


def bench_search(runs: int, rng: random.Random, out: Callable[[str], None]) -> list[Timing]:
    """Time every case; report the default order (newest first) and best match apart."""
    factory = RequestFactory()
    user = _user()
    samples: list[float] = []
    ranked: list[float] = []
    for label, params in search_cases(rng):
        request = factory.get("/search/", params)
        request.user = user

        def render(request=request, label=label):
            response = views.search(request)
            assert response.status_code == 200, (label, response.status_code)

        case = _time(render, runs)
        if params.get("order") == "relevance":
            ranked += case
        else:
            samples += case
        out(f"  {Timing(label, case)}")
    return [
        Timing("search, newest first (the default)", samples),
        Timing("search, best match (order=relevance)", ranked),
    ]


def bench_admin(runs: int, rng: random.Random, out: Callable[[str], None]) -> Timing:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_user())
    word = rng.choice(WORDS["fa"])
    cases = {
        "changelist": {},
        "changelist language=ur": {"language": "ur"},
        "changelist kind=quote language=fa": {"kind": "quote", "language": "fa"},
        "changelist page 200": {"p": "200"},
        "changelist search one word": {"q": word},
        "changelist said this year": {"said_on__gte": "2026-01-01"},
        "changelist outlet country": {"outlet_country": "AZ"},
    }
    samples: list[float] = []
    queries: set[int] = set()
    for label, params in cases.items():
        case_queries: set[int] = set()

        def get(params=params, case_queries=case_queries, label=label):
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/admin/claims/statement/", params)
            assert response.status_code == 200, (label, response.status_code)
            case_queries.add(len(captured.captured_queries))

        case = _time(get, runs)
        samples += case
        queries |= case_queries
        out(f"  {Timing(label, case, case_queries)}")
    return Timing("admin statement changelist, all cases", samples, queries)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_export(out: Callable[[str], None]) -> dict[str, float]:
    """Download the full statements export from a gunicorn worker; then COPY the same query."""
    user = _user()
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()

    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        # The session below is signed with this process's key: the server must share it.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DB_CONN_MAX_AGE": "0",
    }
    if not env.get("DATABASE_URL"):
        raise RuntimeError("set DATABASE_URL: the web server must reach the same database")
    server = subprocess.Popen(
        [
            *[sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
            *["--workers", "1", "--timeout", "600", "--log-level", "warning"],
        ],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/export/statements.csv"
        # Exports are POSTs with a CSRF token: any token will do, if cookie and header agree.
        token = get_random_string(32)
        request = urllib.request.Request(
            url,
            data=b"",
            headers={
                "Cookie": f"sessionid={session.session_key}; csrftoken={token}",
                "X-CSRFToken": token,
            },
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        workers = _children(server.pid)
        rss_before = max(_peak_rss_mb(pid) for pid in workers)
        started = time.perf_counter()
        size = 0
        with urllib.request.urlopen(request, timeout=600) as response:
            if not response.headers.get("Content-Type", "").startswith("text/csv"):
                raise RuntimeError(f"the export answered {response.headers['Content-Type']}")
            while chunk := response.read(1 << 20):
                size += len(chunk)
        web_seconds = time.perf_counter() - started
        rss_peak = max(_peak_rss_mb(pid) for pid in workers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        session.delete()

    rows_query = export.statements_rows(statements=statement_list(filters={}))
    sql, params = export.copy_sql(rows_query)
    started = time.perf_counter()
    copy_size = copy_lines = 0
    with connection.cursor() as wrapper, wrapper.cursor.copy(sql, params) as copy:
        for data in copy:
            copy_size += len(data)
            copy_lines += 1
    copy_seconds = time.perf_counter() - started
    psql_seconds = _psql_copy_seconds(sql, params)
    # COPY sends one message per row, so its count is the row count of the (same) export.
    rows = copy_lines
    same_bytes = size == copy_size + len(export.BOM + export.header_line(export.STATEMENT_COLUMNS))
    figures = {
        "rows": rows,
        "bytes": size,
        "web_seconds": web_seconds,
        "web_rows_per_s": rows / web_seconds,
        "copy_rows": copy_lines,
        "copy_seconds": copy_seconds,
        "copy_rows_per_s": copy_lines / copy_seconds,
        "ratio": web_seconds / copy_seconds,
        "rss_before_mb": rss_before,
        "rss_peak_mb": rss_peak,
        "same_bytes": same_bytes,
        "psql_seconds": psql_seconds,
    }
    out(
        f"  export over HTTP: {rows:,} rows, {size / 1e6:,.0f} MB in {web_seconds:.1f} s "
        f"= {figures['web_rows_per_s']:,.0f} rows/s; gunicorn worker peak RSS "
        f"{rss_peak:.0f} MB (at start {rss_before:.0f} MB)"
    )
    out(
        f"  COPY (same query) TO STDOUT CSV: {copy_lines:,} rows in {copy_seconds:.1f} s "
        f"= {figures['copy_rows_per_s']:,.0f} rows/s; "
        f"export takes {figures['ratio']:.2f}× COPY's time; "
        f"same bytes after the BOM and header: {same_bytes}"
    )
    if psql_seconds is not None:
        out(
            f"  psql -c 'COPY (same query) TO STDOUT CSV' > /dev/null: {psql_seconds:.1f} s "
            f"= {copy_lines / psql_seconds:,.0f} rows/s; "
            f"export takes {web_seconds / psql_seconds:.2f}× psql's time"
        )
    return figures


def _psql_copy_seconds(sql: str, params) -> float | None:
    """COPY run by psql itself (no Python reading rows), when psql and DATABASE_URL exist."""
    psql = shutil.which("psql")
    url = os.environ.get("DATABASE_URL", "")
    if not psql or not url:
        return None
    with connection.cursor() as wrapper:
        statement = wrapper.cursor.mogrify(sql, params) if params else sql
    with tempfile.NamedTemporaryFile("w", suffix=".sql", encoding="utf-8") as script:
        script.write(statement)
        script.flush()
        started = time.perf_counter()
        subprocess.run(
            [psql, url, "-q", "-X", "-f", script.name, "-o", os.devnull],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def benchmark_run(
    *, runs: int = 20, seed: int = 1, parts: set[str], out: Callable[[str], None]
) -> None:
    rng = random.Random(seed)
    out(
        f"data: {Statement.objects.count():,} statements, {ClaimLink.objects.count():,} claim links"
    )
    if "search" in parts:
        out("filtered full-text search (the search view: count, page, links, render):")
        for timing in bench_search(runs, rng, out):
            out(f"  => {timing}")
    if "admin" in parts:
        out("admin statement changelist (test client, whole request):")
        out(f"  => {bench_admin(runs, rng, out)}")
    if "export" in parts:
        out("CSV export of all statements:")
        bench_export(out)
    if "alerts" in parts:
        shapes = {
            False: "specific searches: rare words",
            True: "broad searches: any word",
            None: "searches whose words match nothing: checking alone",
        }
        for broad, shape in shapes.items():
            out(
                "alerts added to ingestion (1,000 saved searches, 10,000 watches, batches of 5; "
                f"{shape}):"
            )
            timings = alerts_benchmark(runs=max(runs, 20), rng=rng, out=out, broad=broad)
            out(f"  => {describe(timings)}")
