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


@pytest.fixture
def roles(db):
    """The role groups, made again if an earlier transactional test flushed them away.

    Transactional tests end by flushing the database, roles included (a flush recreates
    permissions and content types through post_migrate, not the groups a data migration
    made): a test that needs a role asks for this fixture rather than relying on running
    first. Not autouse."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    if Group.objects.filter(name="Analyst").exists():
        return
    # A flush recreates content types under new ids: a cached one would point at nothing.
    ContentType.objects.clear_cache()
    roles = import_module("claims.migrations.0004_roles").ROLES
    api = import_module("api.migrations.0002_role_permissions")
    for name, grants in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app, f"{action}_{model}") for app, model, actions in grants for action in actions
        ]
        codenames += api.EVERY_ROLE + api.GRANTS[name]
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codenames
            ]
        )
