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
    label = f"Shahin Mustafayev · Deputy Prime Minister of Azerbaijan · #{speaker.pk}"
    page = signed_in_page
    page.goto(f"{live_server.url}/search/")
    # The seed's Urdu alias is شاہین مصطفیاف; typed here with Arabic heh and yeh.
    page.fill(SPEAKER_BOX, "شاهين")
    page.wait_for_selector(f"#id_speaker_name_options option[value='{label}']", state="attached")
    page.fill(SPEAKER_BOX, label)  # what picking the offered name does
    assert page.input_value("#id_speaker") == str(speaker.pk)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert parse_qs(urlsplit(page.url).query)["speaker"] == [str(speaker.pk)]
    assert page.input_value(SPEAKER_BOX) == label
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


def test_each_of_two_speakers_of_one_name_is_chosen_by_his_own_label(
    signed_in_page, live_server, seeded
):
    known = Speaker.objects.get(name="Shahin Mustafayev")
    namesake = Speaker.objects.create(name="Shahin Mustafayev", is_confirmed=False)
    labels = {
        known.pk: f"Shahin Mustafayev · Deputy Prime Minister of Azerbaijan · #{known.pk}",
        namesake.pk: f"Shahin Mustafayev · #{namesake.pk}",
    }
    page = signed_in_page
    page.goto(f"{live_server.url}/search/")
    page.fill(SPEAKER_BOX, "Shahin")
    for label in labels.values():
        page.wait_for_selector(
            f"#id_speaker_name_options option[value='{label}']", state="attached"
        )
    for pk in [namesake.pk, known.pk]:
        page.fill(SPEAKER_BOX, labels[pk])
        assert page.input_value("#id_speaker") == str(pk)
    page.fill(SPEAKER_BOX, labels[namesake.pk])
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert parse_qs(urlsplit(page.url).query)["speaker"] == [str(namesake.pk)]
    assert page.input_value(SPEAKER_BOX) == labels[namesake.pk]
