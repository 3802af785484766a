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


@pytest.fixture
def member(db, client):
    """Log in a staff user of a role (Analyst, Editor, Viewer) made by the roles migration."""
    from django.contrib.auth.models import Group, User

    def login(role: str) -> User:
        user = User.objects.create_user(f"{role.lower()}1", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return user

    return login
