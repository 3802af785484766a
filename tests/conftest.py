from __future__ import annotations

import pytest

from claims.services.seeds import seeds_load


@pytest.fixture
def seeded(db):
    """The seed story, loaded as `make run` loads it."""
    return seeds_load()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker thread on the embedded Redis, reading the test database.

    Transactional: the worker's own connection must see what the test committed.
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    # Messages queued by earlier tests name rows that no longer exist.
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def wait_for(condition, timeout: float = 15.0) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; return whether it held."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
