from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services.tokens import token_revoke
from tests.factories import StatementFactory

URL = "/api/v1/statements/"


def test_a_key_is_stored_only_as_its_hash(api_as):
    client = api_as("Viewer")
    key = client._credentials["HTTP_AUTHORIZATION"].split()[1]
    token = ApiToken.objects.get(pk=client.token.pk)
    prefix, secret = key.split(".")
    assert token.prefix == prefix
    assert secret not in token.digest
    assert client.get(URL).status_code == 200


def test_it_refuses_a_request_without_a_key(db):
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_it_refuses_a_wrong_secret(api_as):
    client = api_as("Viewer")
    prefix = client.token.prefix
    client.credentials(HTTP_AUTHORIZATION=f"Token {prefix}.not-the-secret")
    assert client.get(URL).status_code == 401


def test_a_revoked_token_stops_working(api_as):
    client = api_as("Viewer")
    assert client.get(URL).status_code == 200
    token_revoke(token_id=client.token.pk)
    response = client.get(URL)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_the_admin_session_works_for_swagger_uis_requests(db, client):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("sess", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(user)
    assert client.get(URL, HTTP_ACCEPT="application/json").status_code == 200


@override_settings(API_REQUESTS_PER_MINUTE=3)
def test_it_answers_429_with_retry_after_past_the_rate(api_as):
    StatementFactory()
    client = api_as("Viewer")
    codes = [client.get(URL).status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"]
    # Another token of another user has its own allowance.
    assert api_as("Viewer").get(URL).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/"])
def test_the_schema_and_docs_page_answer(api_as, path):
    client = api_as("Viewer")
    response = client.get(path)
    assert response.status_code == 200


def test_the_schema_documents_the_search_filters(api_as):
    schema = api_as("Viewer").get("/api/v1/schema/?format=json").json()
    names = {p["name"] for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]}
    assert {"q", "speaker", "claim", "stance", "outlet", "language", "cursor"} <= names


def test_the_docs_page_loads_only_this_sites_scripts_under_the_csp(db, client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="x"))
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # every script has a src on this site
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_generating_the_schema_leaves_the_search_pages_filters_alone(api_as):
    from claims.filters import StatementFilter
    from tests.factories import SourceFactory

    outlet = SourceFactory(name="Outlet after the schema")
    api_as("Viewer").get("/api/v1/schema/?format=json")
    choices = StatementFilter(data={}).form.fields["outlet"].choices
    assert (str(outlet.pk), "Outlet after the schema") in list(choices)


def test_the_schema_validates_as_openapi_3_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert "openapi: 3" in (tmp_path / "s.yaml").read_text()
