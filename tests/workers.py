"""Real concurrency for tests: Celery worker processes against the test database and the
real broker, and threads that each hold their own database connection."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from config.celery import app

_numbers = itertools.count(1)


def database_url_for_tests() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{user}{password}@{quote(str(host), safe='')}{port}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, folder: Path, name: str = "", queue: str = "") -> None:
        # Each worker its own log and node name: a replacement must not find its
        # predecessor's "ready." and be taken as started before it is.
        self.name = name or f"worker{next(_numbers)}"
        # A queue of its own, when a test must know which worker ran a task.
        self.queue = queue
        self.log = folder / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def start(self, *, purge: bool = True, **env: str) -> None:
        """Start the worker and wait until it consumes. `purge` first empties the queue, so
        messages left by an earlier test cannot reach it; a replacement for a worker that
        died in this test keeps them, as a real one would."""
        if purge:
            app.control.purge()
        self.launch(**env)
        self.wait_ready()

    def launch(self, **env: str) -> None:
        """Start the process without waiting for it (several workers start side by side)."""
        environment = {
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "DEBUG": "1",
            "CLAIMLEDGER_STALE_AFTER": str(settings.STALE_AFTER_SECONDS),
            **env,
        }
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool",
                    "prefork",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--hostname",
                    f"{self.name}@%h",
                    *(["--queues", self.queue] if self.queue else []),
                ],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """Die mid-task, as a machine losing power would: no warm shutdown, no acks."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def broker_flush() -> None:
    """FLUSHDB on the real broker: every queued message, every unacknowledged one and
    kombu's bindings gone at once, as when Redis restarts without persistence."""
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()


def queued_messages() -> int:
    """Messages waiting in the default queue (not those taken and unacknowledged)."""
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(app.conf.task_default_queue)


def wait_until(predicate, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def concurrently(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread (its own database connection); return their results
    in the order they finished, re-raising the first error."""
    results: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            results.append(call())
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
