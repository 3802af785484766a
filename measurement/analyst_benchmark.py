"""What analysts wait for: the search page and the suggestion review queue, one request at a
time and under load from several signed-in analysts at once.

`python manage.py benchmark --only analyst` times both pages through Django's test client
(the whole request: middleware, session, permissions, queries, template). `--load` starts
gunicorn on 127.0.0.1 against the current database, signs in `--analysts` analyst users made
for the run (removed afterwards, with their sessions), lets them all browse a realistic mix of
searches and queue pages for `--seconds`, and prints requests per second and p50/p95 per page.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client, override_settings
from django.utils.crypto import get_random_string

from claims.models import Claim, Statement, Suggestion
from measurement.dataset_words import PLACES, WORDS
from measurement.stats import percentile

ANALYST_PREFIX = "benchmark-analyst-"
SEARCH = "/search/"
QUEUE = "/admin/claims/suggestion/"
# Upper bounds, so that a mistyped option cannot turn the benchmark into a load on a server.
MAX_ANALYSTS = 64
MAX_SECONDS = 600
MAX_WORKERS = 16


class AnalystBenchmarkError(Exception):
    """The benchmark cannot run on this database; the message says why."""


@dataclass
class PageTimes:
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, page: str, seconds: float) -> None:
        self.samples.setdefault(page, []).append(seconds)

    def all(self) -> list[float]:
        return [s for samples in self.samples.values() for s in samples]


def _ms(samples: list[float], pct: float) -> float:
    return percentile(samples, pct) * 1000


def _line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<26} n={len(samples):<5} p50 {_ms(samples, 50):7.1f} ms"
        f"  p95 {_ms(samples, 95):7.1f} ms  max {max(samples) * 1000:7.1f} ms"
    )


def analyst_urls(rng: random.Random, count: int = 40) -> list[tuple[str, str]]:
    """`count` (page, URL) pairs, half searches and half queue pages, as analysts use them:
    words in every language with a filter or two, the queue plain, by claim, by language,
    searched, on its second page."""
    texts = list(Statement.objects.order_by("-id").values_list("text", flat=True)[:200])
    claims = list(
        Suggestion.objects.filter(status=Suggestion.Status.PENDING)
        .values_list("claim_id", flat=True)
        .distinct()[:50]
    ) or list(Claim.objects.values_list("pk", flat=True)[:50])
    claim_words = [
        word
        for text in Claim.objects.filter(pk__in=claims[:10]).values_list("text", flat=True)
        for word in text.split()[:3]
        if len(word) > 3
    ]
    languages = list(WORDS)
    urls: list[tuple[str, str]] = []
    for i in range(count):
        language = languages[i % len(languages)]
        word = rng.choice(WORDS[language])
        if i % 2 == 0:
            year = rng.randrange(2019, 2027)
            phrase = " ".join(rng.choice(texts).split()[2:4]) if texts else word
            params = rng.choice(
                [
                    {"q": word, "language": language},
                    {"q": f"{word} {rng.choice(PLACES[language])}"},
                    {
                        "q": word,
                        "said_on_after": f"{year}-01-01",
                        "said_on_before": f"{year}-12-31",
                    },
                    {"q": f'"{phrase}"'},
                    {"q": word, "stance": "denies"},
                    {"q": word, "kind": "quote", "order": "relevance"},
                    {"language": language},
                ]
            )
            urls.append(("search", f"{SEARCH}?{urlencode(params)}"))
        else:
            params = rng.choice(
                [
                    {},
                    {},
                    {"p": "2"},
                    {"claim__id__exact": str(rng.choice(claims))} if claims else {},
                    {"claim__q": rng.choice(claim_words)} if claim_words else {},
                    {"statement__language__exact": language},
                    {"q": word},
                    {"score_band": "high"},
                ]
            )
            urls.append(("queue", f"{QUEUE}?{urlencode(params)}" if params else QUEUE))
    return urls


@contextmanager
def analysts(count: int) -> Iterator[list[tuple[object, str]]]:
    """`count` users in the Analyst role, each with a session, removed with their sessions
    when the block ends, however it ends."""
    group = Group.objects.filter(name="Analyst").first()
    if group is None:
        raise AnalystBenchmarkError("no Analyst role in this database: run manage.py migrate")
    User = get_user_model()
    tag = get_random_string(8).lower()
    made: list[tuple[object, str]] = []
    try:
        for i in range(count):
            user = User.objects.create_user(f"{ANALYST_PREFIX}{tag}-{i}", is_staff=True)
            user.groups.add(group)
            session = SessionStore()
            session["_auth_user_id"] = str(user.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = user.get_session_auth_hash()
            session.create()
            made.append((user, session.session_key))
        yield made
    finally:
        for user, session_key in made:
            SessionStore(session_key=session_key).delete()
            user.delete()


def bench_one_at_a_time(*, runs: int, rng: random.Random, out: Callable[[str], None]) -> PageTimes:
    """Each URL of the mix `runs` times through the test client, after one warm-up."""
    times = PageTimes()
    # The test client's requests come from 127.0.0.1, whatever the deployment's host names.
    hosts = override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "127.0.0.1"])
    with hosts, analysts(1) as ((user, _),):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for page, url in analyst_urls(rng):
            client.get(url, secure=True)
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(url, secure=True)
                times.add(page, time.perf_counter() - started)
                if response.status_code != 200:
                    times.errors.append(f"{response.status_code} {url}")
    for page, samples in sorted(times.samples.items()):
        out(f"  {_line(page, samples)}")
    if times.errors:
        out(f"  errors: {len(times.errors)}, e.g. {times.errors[0]}")
    return times


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The current database as a URL for the server process (a socket folder as its host)."""
    db = connection.settings_dict
    host = db.get("HOST") or ""
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return (
        f"postgresql://{quote(db.get('USER') or '', safe='')}{password}@{host}{port}/{db['NAME']}"
    )


def _workers_cpu_seconds(server_pid: int) -> float:
    """CPU time (user and system) the server's worker processes have used so far."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    if not children.exists():
        return float("nan")
    ticks = 0
    for pid in children.read_text().split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(*, workers: int, threads: int) -> Iterator[tuple[int, int]]:
    """A gunicorn server on 127.0.0.1 over the current database; yields its port and pid."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        # The sessions were signed with this process's key: the server must share it.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    server = subprocess.Popen(
        [
            *[sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
            *["--workers", str(workers), "--threads", str(threads)],
            *["--timeout", "120", "--log-level", "warning"],
        ],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


def _browse(
    *,
    port: int,
    session_key: str,
    urls: list[tuple[str, str]],
    until: float,
    times: PageTimes,
    lock: threading.Lock,
    rng: random.Random,
) -> None:
    """One analyst: request the mix's URLs in a random order, one after the other, until
    `until`, on one kept-alive connection."""
    headers = {"Cookie": f"sessionid={session_key}", "Host": "127.0.0.1"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    order = list(urls)
    try:
        while time.monotonic() < until:
            rng.shuffle(order)
            for page, url in order:
                if time.monotonic() >= until:
                    break
                started = time.perf_counter()
                try:
                    conn.request("GET", url, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status = f"{type(exc).__name__}"
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 200:
                        times.add(page, elapsed)
                    else:
                        times.errors.append(f"{status} {url}")
    finally:
        conn.close()


def bench_load(
    *,
    analyst_count: int,
    seconds: float,
    workers: int,
    threads: int,
    rng: random.Random,
    out: Callable[[str], None],
) -> dict[str, float]:
    """`analyst_count` analysts at once against a gunicorn server for `seconds`."""
    analyst_count = max(1, min(analyst_count, MAX_ANALYSTS))
    seconds = max(0.5, min(seconds, MAX_SECONDS))
    workers = max(1, min(workers, MAX_WORKERS))
    urls = analyst_urls(rng)
    times = PageTimes()
    lock = threading.Lock()
    with (
        analysts(analyst_count) as users,
        gunicorn(workers=workers, threads=threads) as (port, server_pid),
    ):
        # Warm each worker (imports, templates, connections) before the clock starts.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _, url in urls[: 2 * workers]:
            warm.request("GET", url, headers={"Cookie": f"sessionid={users[0][1]}"})
            warm.getresponse().read()
        warm.close()
        cpu_before = _workers_cpu_seconds(server_pid)
        started = time.monotonic()
        until = started + seconds
        threads_ = [
            threading.Thread(
                target=_browse,
                kwargs={
                    "port": port,
                    "session_key": session_key,
                    "urls": urls,
                    "until": until,
                    "times": times,
                    "lock": lock,
                    "rng": random.Random(rng.random()),
                },
            )
            for _, session_key in users
        ]
        for thread in threads_:
            thread.start()
        for thread in threads_:
            thread.join()
        elapsed = time.monotonic() - started
        workers_cpu = _workers_cpu_seconds(server_pid) - cpu_before
    done = times.all()
    figures: dict[str, float] = {
        "requests": len(done),
        "errors": len(times.errors),
        "seconds": elapsed,
        "requests_per_second": len(done) / elapsed,
    }
    out(
        f"  {analyst_count} analysts, {elapsed:.1f} s, gunicorn {workers} workers × "
        f"{threads} threads: {len(done)} requests = {figures['requests_per_second']:.1f} "
        f"requests/s, {len(times.errors)} errors"
    )
    if done:
        # What the figures above depend on least: on a busy machine the workers wait for a
        # core, but the CPU a request needs stays about the same.
        figures["worker_cpu_ms_per_request"] = workers_cpu / len(done) * 1000
        out(
            f"  gunicorn workers' CPU: {figures['worker_cpu_ms_per_request']:.1f} ms a request "
            f"({workers_cpu:.1f} s in all; load average at the end "
            f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)"
        )
    for page, samples in sorted(times.samples.items()):
        out(f"  {_line(page, samples)}")
        figures[f"{page}_p50_ms"] = _ms(samples, 50)
        figures[f"{page}_p95_ms"] = _ms(samples, 95)
    if done:
        out(f"  {_line('search and queue', done)}")
        figures["p95_ms"] = _ms(done, 95)
    for error in times.errors[:5]:
        out(f"  error: {error}")
    return figures
