from __future__ import annotations

import pytest

from claims.services.seeds import seeds_load


@pytest.fixture
def seeded(db):
    """The seed story, loaded as `make run` loads it."""
    return seeds_load()


@pytest.fixture
def site():
    """A real HTTP server on a free local port."""
    from tests.httpserver import Site

    server = Site()
    server.thread.start()
    yield server
    server.server.shutdown()


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` process on the real broker and the test database."""
    from tests.workers import WorkerProcess

    worker = WorkerProcess(tmp_path)
    worker.start()
    yield worker
    worker.stop()
