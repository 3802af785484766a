"""Analysts confirm the speakers extraction created and merge duplicates in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Speaker
from claims.services.speakers import speaker_alias_add
from tests.factories import SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:claims_speaker_changelist")


def test_the_list_shows_confirmation_kind_and_statement_counts(admin_client) -> None:
    busy = SpeakerFactory(name="Shahin Mustafayev")
    StatementFactory.create_batch(2, speaker=busy)
    SpeakerFactory(name="شاہین مصطفیٰ یوف", is_confirmed=False)

    response = admin_client.get(CHANGELIST, {"o": "-6", "is_confirmed__exact": "0"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "شاہین مصطفیٰ یوف" in page and "Shahin Mustafayev" not in page
    assert "Confirm selected speakers" in page and "Merge selected speakers…" in page


def test_the_list_sorts_by_statement_count(admin_client) -> None:
    quiet = SpeakerFactory()
    busy = SpeakerFactory()
    StatementFactory.create_batch(3, speaker=busy)
    response = admin_client.get(CHANGELIST, {"o": "-6"})
    speakers = list(response.context["cl"].result_list)
    assert speakers[:2] == [busy, quiet]
    assert speakers[0].statement_count == 3


def test_search_finds_a_speaker_by_an_alias_in_another_spelling(admin_client) -> None:
    speaker = SpeakerFactory(name="Shahin Mustafayev")
    speaker_alias_add(speaker=speaker, name="شاہین مصطفیاف", language="ur")
    SpeakerFactory(name="Someone Else")
    response = admin_client.get(CHANGELIST, {"q": "مصطفياف"})
    assert list(response.context["cl"].result_list) == [speaker]


def test_confirm_action_confirms_the_selected_speakers(admin_client) -> None:
    chosen = SpeakerFactory(is_confirmed=False)
    left = SpeakerFactory(is_confirmed=False)

    response = admin_client.post(
        CHANGELIST, {"action": "confirm_selected", "_selected_action": [chosen.pk]}, follow=True
    )

    assert "1 speakers confirmed." in response.content.decode()
    assert Speaker.objects.get(pk=chosen.pk).is_confirmed
    assert not Speaker.objects.get(pk=left.pk).is_confirmed
    assert Speaker.objects.get(pk=chosen.pk).history.latest().history_change_reason == "confirmed"


def test_merge_action_asks_which_speaker_to_keep(admin_client) -> None:
    kept = SpeakerFactory(name="Shahin Mustafayev")
    StatementFactory.create_batch(2, speaker=kept)
    duplicate = SpeakerFactory(name="شاہین مصطفیٰ یوف", is_confirmed=False)

    response = admin_client.post(
        CHANGELIST, {"action": "merge_selected", "_selected_action": [kept.pk, duplicate.pk]}
    )

    assert response.status_code == 200
    assert response.templates[0].name == "admin/claims/speaker/merge_selected.html"
    page = response.content.decode()
    assert "Shahin Mustafayev" in page and "شاہین مصطفیٰ یوف" in page
    # The confirmed speaker with most statements is offered first.
    assert response.context["suggested"] == kept
    assert [s.statement_count for s in response.context["speakers"]] == [2, 0]
    assert Speaker.objects.count() == 2  # nothing merged yet


def test_merge_action_merges_into_the_chosen_speaker(admin_client) -> None:
    kept = SpeakerFactory(name="Shahin Mustafayev")
    duplicate = SpeakerFactory(name="شاہین مصطفیٰ یوف", is_confirmed=False)
    speaker_alias_add(speaker=duplicate, name="شاہین مصطفیٰ یوف", language="ur")
    statement = StatementFactory(speaker=duplicate)

    response = admin_client.post(
        CHANGELIST,
        {
            "action": "merge_selected",
            "_selected_action": [kept.pk, duplicate.pk],
            "post": "yes",
            "keep": kept.pk,
        },
        follow=True,
    )

    assert f"Merged 1 speakers into #{kept.pk} Shahin Mustafayev; 1 statements moved." in (
        response.content.decode()
    )
    assert list(Speaker.objects.all()) == [kept]
    statement.refresh_from_db()
    assert statement.speaker == kept
    assert list(kept.aliases.values_list("name", flat=True)) == ["شاہین مصطفیٰ یوف"]
    assert kept.history.latest().history_user.username == "admin"


def test_merge_action_needs_a_choice_of_speaker_to_keep(admin_client) -> None:
    speakers = SpeakerFactory.create_batch(2)
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "merge_selected",
            "_selected_action": [s.pk for s in speakers],
            "post": "yes",
        },
    )
    assert "Choose the speaker to keep." in response.content.decode()
    assert Speaker.objects.count() == 2


def test_merge_action_needs_two_speakers(admin_client) -> None:
    speaker = SpeakerFactory()
    response = admin_client.post(
        CHANGELIST, {"action": "merge_selected", "_selected_action": [speaker.pk]}, follow=True
    )
    assert "Select two or more speakers to merge." in response.content.decode()


def test_a_viewer_can_neither_confirm_nor_merge(client, member) -> None:
    member("Viewer")
    speakers = SpeakerFactory.create_batch(2, is_confirmed=False)
    ids = [s.pk for s in speakers]

    page = client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "confirm_selected", "_selected_action": ids})
    client.post(
        CHANGELIST,
        {"action": "merge_selected", "_selected_action": ids, "post": "yes", "keep": ids[0]},
    )

    assert "Confirm selected speakers" not in page
    assert Speaker.objects.filter(is_confirmed=False).count() == 2


def test_an_editor_can_confirm(client, member) -> None:
    member("Editor")
    speaker = SpeakerFactory(is_confirmed=False)
    client.post(CHANGELIST, {"action": "confirm_selected", "_selected_action": [speaker.pk]})
    assert Speaker.objects.get(pk=speaker.pk).is_confirmed
