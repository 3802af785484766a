"""An analyst watches the territory claim; an Urdu denial is ingested and accepted; the
unread badge and the notification appear (a real Chromium, the real pages)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim, Statement, Suggestion
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
DENIAL = (
    "شاہین مصطفیاف نے کہا کہ آذربائیجان ایران پر کسی بھی حملے کے لیے اپنی زمین استعمال کرنے "
    "کی اجازت نہیں دے گا۔"
)


def test_an_analyst_is_alerted_when_an_urdu_denial_of_a_watched_claim_is_accepted(
    browser_page, live_server, roles, seeded, tmp_path, settings
) -> None:
    settings.MATCH_AUTO_CONFIRM_THRESHOLD = 2  # the analyst, not the matcher, confirms it
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    analyst = User.objects.create_user(
        "analyst", email="analyst@desk.example", password=PASSWORD, is_staff=True
    )
    analyst.groups.add(Group.objects.get(name="Analyst"))
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}{reverse('claims:claim', args=[claim.pk])}")
    page.select_option("form.watch select[name=delivery]", "in_app")
    page.click("#watch-button")
    page.wait_for_selector("#watch-button:has-text('Stop watching')")
    assert page.locator("#alerts-unread").count() == 0

    path = tmp_path / "denial.jsonl"
    row = {
        "url": "https://urdu.example/denial",
        "source": "Mehr News Agency",
        "title": "",
        "body": DENIAL,
        "published_at": "2025-07-21",
    }
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    call_command("ingest", str(path), "--sync", stdout=StringIO())
    denial = Statement.objects.get(article__url="https://urdu.example/denial")
    suggestion = Suggestion.objects.get(statement=denial, claim=claim)

    page.goto(f"{live_server.url}{reverse('admin:claims_suggestion_review', args=[suggestion.pk])}")
    page.click("button[name=accept]")
    page.wait_for_selector(".messagelist")

    badge = page.locator("#alerts-unread")
    assert badge.inner_text() == "1"
    page.click("#alerts-link")
    notification = page.locator("li.notification.unread")
    assert notification.count() == 1
    assert "Claim resurfaced" in notification.inner_text()
    quote = notification.locator("blockquote")
    assert quote.get_attribute("dir") == "rtl" and quote.get_attribute("lang") == "ur"
    assert quote.inner_text() == denial.text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "alerts-page.png"), full_page=True)

    page.click("#mark-all-read")
    page.wait_for_selector("li.notification:not(.unread)")
    assert page.locator("#alerts-unread").count() == 0
