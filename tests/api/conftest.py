from __future__ import annotations

import pytest


@pytest.fixture
def api_as(db):
    """An API client signed with a new token of a user in `role` (Analyst, Editor, Viewer),
    or of a user in no role with `permissions` (app_label.codename) only."""
    from django.contrib.auth.models import Group, Permission, User
    from rest_framework.test import APIClient

    from api.services.tokens import token_create

    made = 0

    def make(role: str | None = None, *permissions: str, webhook_url: str = ""):
        nonlocal made
        made += 1
        user = User.objects.create_user(f"{(role or 'nobody').lower()}{made}", password="x")
        if role:
            user.groups.add(Group.objects.get(name=role))
        for permission in permissions:
            app_label, codename = permission.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        issued = token_create(user=user, name="test", webhook_url=webhook_url)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
        client.user, client.token = user, issued.token
        return client

    return make


@pytest.fixture
def roles(transactional_db):
    """The role groups, made again if an earlier transactional test flushed them away."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

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
