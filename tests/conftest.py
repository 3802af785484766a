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
def roles(db):
    """The role groups of migration claims/0004, made again if a transactional test's flush
    removed them (a flush keeps permissions and content types, recreated by post_migrate,
    but not the groups a data migration made). Not autouse: ask for it."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    if Group.objects.filter(name="Analyst").exists():
        return
    # The flush gave the content types new ids: a cached one would name a row that is gone.
    ContentType.objects.clear_cache()
    for name, grants in import_module("claims.migrations.0004_roles").ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
            for app, model, actions in grants
            for action in actions
        )


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
