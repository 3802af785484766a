"""Every kind of page works under the Content-Security-Policy in a real Chromium: the search
form's name boxes, the claim page, the admin's autocomplete (select2), calendar, two-list
topic chooser and SVG chart. The `browser_page` fixture fails the test on any violation.

(Named to run after test_review_in_browser.py: see test_search_names_in_browser.py.)
"""

from __future__ import annotations

import pytest

from claims.models import Claim, Statement

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pages_and_the_admin_run_their_scripts_and_styles_under_the_policy(
    signed_in_page, live_server, seeded
) -> None:
    page = signed_in_page
    claim = Claim.objects.get(external_id="seed-azerbaijan-territory-attack-iran")
    statement = Statement.objects.first()

    page.goto(f"{live_server.url}/search/?q=آذربایجان")
    # The site's stylesheet applies: the header is the site's colour, not the browser's.
    assert page.eval_on_selector("header", "e => getComputedStyle(e).display") == "flex"
    page.fill("#id_speaker_name", "شاهين")
    page.wait_for_selector("#id_speaker_name_options option", state="attached")

    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.goto(f"{live_server.url}/speakers/{statement.speaker_id}/")
    assert (
        page.eval_on_selector("section.claim-history", "e => getComputedStyle(e).borderRadius")
        == "6px"
    )

    page.goto(f"{live_server.url}/admin/claims/statement/{statement.pk}/change/")
    # select2 turns the speaker box into an autocomplete, and asks the server as one types.
    page.click(".field-speaker .select2-selection")
    page.fill(".select2-search__field", "Mus")
    page.wait_for_selector(".select2-results__option:has-text('Mustafayev')")
    page.keyboard.press("Escape")
    page.click(".field-said_on .datetimeshortcuts a:has-text('Today')")

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    assert page.locator("svg.stance-chart rect").count() >= 1
    page.wait_for_selector("#id_topics_from")  # the two-list chooser SelectFilter2 builds

    page.goto(f"{live_server.url}/admin/claims/suggestion/")
    page.goto(f"{live_server.url}/admin/")
    assert page.eval_on_selector("body", "e => getComputedStyle(e).fontFamily").find("Naskh") > 0


def test_the_api_docs_page_draws_swagger_ui_under_the_policy(
    signed_in_page, live_server, seeded
) -> None:
    page = signed_in_page
    page.goto(f"{live_server.url}/api/v1/docs/")
    # Swagger UI ran (its script from this site) and drew the operations from the schema.
    page.wait_for_selector("text=/api/v1/statements/", timeout=30_000)
