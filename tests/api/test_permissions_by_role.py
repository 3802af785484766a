"""Every endpoint for every role: what it may do, and what it is refused."""

from __future__ import annotations

import pytest

from tests.factories import (
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StatementFactory,
    SuggestionFactory,
)

ROLES = ["Analyst", "Editor", "Viewer"]


@pytest.fixture
def records(db):
    statement = StatementFactory()
    return {
        "statement": statement,
        "claim": ClaimFactory(),
        "speaker": statement.speaker,
        "source": SourceFactory(),
        "suggestion": SuggestionFactory(),
        "suggestion2": SuggestionFactory(),
    }


READS = [
    "/api/v1/statements/",
    "/api/v1/statements/{statement}/",
    "/api/v1/claims/",
    "/api/v1/claims/{claim}/",
    "/api/v1/speakers/",
    "/api/v1/speakers/{speaker}/",
    "/api/v1/speakers/{speaker}/statements/",
    "/api/v1/sources/",
    "/api/v1/sources/{source}/",
    "/api/v1/suggestions/",
    "/api/v1/suggestions/{suggestion}/",
]


def _url(template: str, records) -> str:
    return template.format(**{k: v.pk for k, v in records.items()})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template", READS)
def test_every_role_may_read(api_as, records, role, template):
    assert api_as(role).get(_url(template, records)).status_code == 200


@pytest.mark.parametrize("template", READS)
def test_a_user_in_no_role_may_read_nothing(api_as, records, template):
    assert api_as(None).get(_url(template, records)).status_code == 403


# (method, url, body, role allowed) — every other role is refused with 403.
WRITES = [
    ("post", "/api/v1/claims/", {"text": "The dam burst", "language": "en"}, "Analyst"),
    ("patch", "/api/v1/claims/{claim}/", {"status": "false"}, "Analyst"),
    ("post", "/api/v1/suggestions/{suggestion}/accept/", {}, "Analyst"),
    ("post", "/api/v1/suggestions/{suggestion2}/reject/", {"reason": "no"}, "Analyst"),
    (
        "post",
        "/api/v1/articles/",
        {"url": "https://example.org/a", "body": "The minister said that it rained."},
        "Editor",
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,template,body,allowed", WRITES)
def test_writes_are_allowed_only_to_their_role(
    api_as, records, role, method, template, body, allowed
):
    client = api_as(role)
    response = getattr(client, method)(_url(template, records), body, format="json")
    if role == allowed:
        assert response.status_code in (200, 201, 202), response.json()
    else:
        assert response.status_code == 403, response.json()


def test_nobody_may_delete_a_claim_through_the_api(api_as, records):
    from claims.models import Claim

    response = api_as("Analyst").delete(_url("/api/v1/claims/{claim}/", records))
    assert response.status_code in (403, 405)
    assert Claim.objects.filter(pk=records["claim"].pk).exists()


def test_speakers_and_sources_are_read_only(api_as, records):
    client = api_as("Editor")
    assert client.post("/api/v1/speakers/", {"name": "X"}, format="json").status_code == 405
    assert client.post("/api/v1/sources/", {"name": "X"}, format="json").status_code == 405
    SpeakerFactory()
