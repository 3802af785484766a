"""An analyst clears a suggestion for the seed article in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from claims.models import Claim, ClaimLink, Stance, Statement
from tests.browser.conftest import PASSWORD
from tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def test_an_analyst_accepts_a_suggestion_and_finds_it_on_the_claims_timeline(
    browser_page, live_server, seeded, roles
) -> None:
    statement = Statement.objects.get(text__contains="بالکل جھوٹ")
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    ClaimLink.objects.filter(statement=statement, claim=claim).delete()
    start = statement.text.index("دعوے")
    SuggestionFactory(
        statement=statement,
        claim=claim,
        score=0.81,
        suggested_stance=Stance.DENIES,
        evidence={"matched": [{"word": "دعوے", "start": start, "end": start + 4}]},
    )
    analyst = User.objects.create_user("analyst", password=PASSWORD, is_staff=True)
    analyst.groups.add(Group.objects.get(name="Analyst"))

    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/claims/suggestion/")
    page.click("#result_list a.button:has-text('Review')")
    page.wait_for_selector(".review mark")
    assert page.locator(".review mark").first.inner_text() == "دعوے"
    assert page.locator(".review .context").get_attribute("dir") == "auto"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-page.png"), full_page=True)

    page.click("button[name=accept]")
    page.wait_for_selector(".messagelist")
    assert "Accepted: the statement denies the claim." in page.inner_text(".messagelist")

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    timeline = page.locator("table.claim-timeline")
    assert timeline.locator("tr.stance-denies").count() == 2
    assert "بالکل جھوٹ" in timeline.inner_text()
    assert page.locator("svg.stance-chart rect").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "claim-timeline.png"), full_page=True)
