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
