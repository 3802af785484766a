"""An editor chooses a speaker by name, typed in another spelling, on the search form; an
analyst chooses a claim by its words in the review queue.

(Named to run after test_review_in_browser.py: a transactional test empties the database,
the roles its migration made included, and the review test needs the Analyst role.)
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from claims.models import Speaker
from tests.factories import ClaimFactory, SuggestionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SPEAKER_BOX = "#id_speaker_name"
CLAIM_BOX = "#id_claim__q"


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


def test_an_analyst_picks_a_claim_in_the_review_queues_claim_box(signed_in_page, live_server):
    gas = SuggestionFactory(claim=ClaimFactory(text="Gas prices will double next winter"))
    SuggestionFactory(claim=ClaimFactory(text="Azerbaijan allowed the attack"))
    label = f"Gas prices will double next winter · #{gas.claim_id}"
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/claims/suggestion/")
    page.fill(CLAIM_BOX, "gas prices")
    page.wait_for_selector(f"#id_claim__q_options option[value='{label}']", state="attached")
    page.fill(CLAIM_BOX, label)  # what picking the offered claim does
    assert page.input_value("#id_claim__id__exact") == str(gas.claim_id)
    page.click("form.box-filter button[type=submit] >> nth=0")
    page.wait_for_load_state()
    assert parse_qs(urlsplit(page.url).query)["claim__id__exact"] == [str(gas.claim_id)]
    assert page.input_value(CLAIM_BOX) == label
    assert page.locator("#result_list tbody tr").count() == 1


def test_words_on_no_list_filter_the_review_queue_by_claim_text(signed_in_page, live_server):
    SuggestionFactory(claim=ClaimFactory(text="Gas prices will double next winter"))
    SuggestionFactory(claim=ClaimFactory(text="Azerbaijan allowed the attack"))
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/claims/suggestion/")
    page.fill(CLAIM_BOX, "double next")
    page.click("form.box-filter button[type=submit] >> nth=0")
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query["claim__q"] == ["double next"] and "claim__id__exact" not in query
    assert page.locator("#result_list tbody tr").count() == 1
