from __future__ import annotations

import re

from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from api.models import ApiToken


def _member(client, role: str, name: str) -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def test_a_user_creates_a_token_in_the_admin_sees_the_key_once_and_revokes_it(db, client):
    user = _member(client, "Viewer", "vera")
    response = client.post(
        "/admin/api/apitoken/add/", {"name": "CMS sidebar", "webhook_url": ""}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    key = re.search(r"Authorization: Token ([0-9a-f]+\.[\w-]+)", page).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.prefix == key.split(".")[0]
    assert key.split(".")[1] not in token.digest

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/statements/").status_code == 200

    # The key is not shown again on the token's page.
    assert key not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert api.get("/api/v1/statements/").status_code == 401


def test_a_user_sees_only_their_own_tokens(db, client):
    other = User.objects.create_user("other")
    ApiToken.objects.create(user=other, name="theirs", prefix="abc", digest="x")
    _member(client, "Analyst", "ana")
    client.post("/admin/api/apitoken/add/", {"name": "mine"})
    page = client.get("/admin/api/apitoken/").content.decode()
    assert "mine" in page
    assert "theirs" not in page
