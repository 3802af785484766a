"""An editor chooses a speaker by name, typed in another spelling, on the search form.

(Named to run after test_review_in_browser.py: a transactional test empties the database,
the roles its migration made included, and the review test needs the Analyst role.)
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from claims.models import Speaker

pytestmark = pytest.mark.django_db(transaction=True)

SPEAKER_BOX = "#id_speaker_name"


def test_an_editor_chooses_a_speaker_by_an_arabic_spelling_of_his_name(
    signed_in_page, live_server, seeded
):
    speaker = Speaker.objects.get(name="Shahin Mustafayev")
    page = signed_in_page
    page.goto(f"{live_server.url}/search/")
    # The seed's Urdu alias is شاہین مصطفیاف; typed here with Arabic heh and yeh.
    page.fill(SPEAKER_BOX, "شاهين")
    page.wait_for_selector(
        "#id_speaker_name_options option[value='Shahin Mustafayev']", state="attached"
    )
    page.fill(SPEAKER_BOX, "Shahin Mustafayev")  # what picking the offered name does
    assert page.input_value("#id_speaker") == str(speaker.pk)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert parse_qs(urlsplit(page.url).query)["speaker"] == [str(speaker.pk)]
    assert page.input_value(SPEAKER_BOX) == "Shahin Mustafayev"
    names = {name.inner_text() for name in page.locator("ol.results .meta > a:first-child").all()}
    assert names == {"Shahin Mustafayev"}


def test_a_name_that_is_on_no_list_is_not_submitted(signed_in_page, live_server, seeded):
    page = signed_in_page
    page.goto(f"{live_server.url}/search/")
    page.fill(SPEAKER_BOX, "Nobody we know")
    page.click("form.filters button[type=submit]")
    assert urlsplit(page.url).query == ""
    assert page.eval_on_selector(SPEAKER_BOX, "box => box.validationMessage") != ""
    assert page.input_value("#id_speaker") == ""
