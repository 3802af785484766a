"""Login throttling (django-axes): failed logins per username and address lock that pair out for
a cool-off, on the admin's login form, which is the site's; the lockout is a page, not a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from tests.config.csp import assert_allowed

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_user("editor", password="right-password", is_staff=True)


def sign_in(client, password: str, *, username: str = "editor", address: str = "10.0.0.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def fail(client, times: int, **kwargs) -> list[int]:
    """Sign in `times` times with a wrong password; the status codes of the answers."""
    return [sign_in(client, "wrong-password", **kwargs).status_code for _ in range(times)]


def test_the_defaults_lock_out_after_five_failures_for_fifteen_minutes() -> None:
    assert LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_a_user_who_mistyped_a_few_times_still_signs_in(client, editor) -> None:
    assert fail(client, LIMIT - 1) == [200] * (LIMIT - 1)  # the form again, with its error
    response = sign_in(client, "right-password")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_too_many_failures_lock_the_username_from_that_address_with_a_page_that_says_so(
    client, editor
) -> None:
    assert fail(client, LIMIT - 1) == [200] * (LIMIT - 1)
    locked = sign_in(client, "wrong-password")  # the LIMIT-th failure locks
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Signing in is locked" in html and "editor" in html and "15 minutes" in html
    assert_allowed(locked)
    # Even the right password is refused until the cool-off ends.
    again = sign_in(client, "right-password")
    assert again.status_code == 429 and "_auth_user_id" not in client.session


def test_the_lock_holds_only_for_that_username_and_address(client, editor) -> None:
    User.objects.create_user("analyst", password="analyst-password", is_staff=True)
    fail(client, LIMIT)
    assert sign_in(client, "right-password", address="10.0.0.8").status_code == 302
    client.logout()
    assert sign_in(client, "analyst-password", username="analyst").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, editor) -> None:
    fail(client, LIMIT)
    assert sign_in(client, "right-password").status_code == 429
    earlier = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert sign_in(client, "right-password").status_code == 302


def test_a_successful_login_forgets_the_failures_before_it(client, editor) -> None:
    fail(client, LIMIT - 1)
    assert sign_in(client, "right-password").status_code == 302
    client.logout()
    fail(client, LIMIT - 1)
    assert sign_in(client, "right-password").status_code == 302


def test_the_login_the_search_page_sends_visitors_to_is_throttled(client, editor) -> None:
    login_url = client.get(reverse("claims:search"))["Location"]
    assert login_url.startswith(LOGIN)
    for _ in range(LIMIT):
        client.post(login_url, {"username": "editor", "password": "no"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post(
        login_url, {"username": "editor", "password": "right-password"}, REMOTE_ADDR="10.0.0.9"
    )
    assert locked.status_code == 429


def test_behind_a_proxy_the_address_it_saw_is_the_one_counted(client, editor, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    # What the client wrote into X-Forwarded-For itself is not trusted: only the last entry.
    for spoofed in range(LIMIT):
        client.post(
            LOGIN,
            {"username": "editor", "password": "no"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{spoofed}, 203.0.113.5",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    another_client = client.post(
        LOGIN,
        {"username": "editor", "password": "right-password"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert another_client.status_code == 302


def test_force_login_is_not_throttled(client, editor) -> None:
    fail(client, LIMIT, address="127.0.0.1")
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200
