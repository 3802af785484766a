"""Speakers: names resolved exactly or by a close spelling, created once, merged, confirmed."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction

from claims.models import ClaimLink, Speaker, SpeakerAlias, Statement, Suggestion
from claims.services.speakers import (
    SpeakerError,
    SpeakerIndex,
    speaker_alias_add,
    speaker_confirm,
    speaker_for_name,
    speaker_lock_key,
    speaker_merge,
)
from sources.text import normalise
from tests.factories import (
    ClaimLinkFactory,
    SpeakerFactory,
    StatementFactory,
    SuggestionFactory,
)
from tests.workers import database_url_for_tests


def _index(*aliases: tuple[int, str]) -> SpeakerIndex:
    # As extraction builds it: from the stored keys.
    return SpeakerIndex((speaker_id, normalise(name)) for speaker_id, name in aliases)


# --- SpeakerIndex.closest: no database --------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "شاہین مصطفیٰ یوف",  # superscript alef, a space inside the surname, -yev
        "شاهين مصطفياف",  # Arabic yeh and heh
        "شاہین مصطفی‌اف",  # ZWNJ, -af
        "شاہین مصطفایف",  # -ayef
        "شاہینمصطفیاف",  # no space between the names
    ],
)
def test_urdu_and_persian_spellings_of_mustafayev_resolve_to_him(spelling: str) -> None:
    index = _index((3, "شاہین مصطفیاف"), (4, "شہباز شریف"), (5, "مسعود پزشکیان"))
    assert index.closest(spelling) == 3


@pytest.mark.parametrize("spelling", ["Shahin Mustafaev", "Shahin Mustafayev", "shahin mustafaiev"])
def test_latin_spellings_of_mustafayev_resolve_to_him(spelling: str) -> None:
    assert _index((3, "Shahin Mustafayev"), (4, "Hikmet Hajiyev")).closest(spelling) == 3


def test_cyrillic_surname_endings_fold_too() -> None:
    assert _index((3, "Шахин Мустафаев")).closest("Шахин Мустафайев") == 3


def test_names_that_only_share_a_first_name_do_not_resolve() -> None:
    index = _index((1, "محمد علی"), (2, "Ilham Aliyev"))
    assert index.closest("محمد رضا") is None
    assert index.closest("Heydar Aliyev") is None


def test_a_name_close_to_two_speakers_is_ambiguous() -> None:
    index = _index((1, "Shahin Mustafayev"), (2, "Shahin Mustafayov"), (3, "Shahim Mustafayev"))
    assert index.closest("Shahin Mustafaiev") is None


def test_several_spellings_of_one_speaker_are_not_ambiguous() -> None:
    index = _index((1, "Masoud Pezeshkian"), (1, "Masud Pezeshkian"), (2, "Abbas Araghchi"))
    assert index.closest("Masoud Pezeshkyan") == 1


def test_short_names_resolve_only_when_spelled_the_same() -> None:
    index = _index((1, "علی"), (2, "Ali"))
    assert index.closest("علي") == 1  # the same key after normalising
    assert index.closest("Aly") is None
    assert index.closest("عالی") is None


def test_a_long_name_does_not_resolve_to_a_short_alias_it_contains() -> None:
    assert _index((1, "Ali")).closest("Alin") is None


def test_closest_takes_well_under_five_milliseconds_among_ten_thousand_aliases() -> None:
    letters = "ابپتجچحخدرزسشصطعفقکگلمنوهی"
    aliases = [
        (
            n,
            f"{letters[n % 26]}{letters[n // 26 % 26]}{letters[n // 676 % 26]}ین "
            f"{letters[n * 7 % 26]}{letters[n * 11 % 26]}ی{letters[n * 13 % 26]}اف",
        )
        for n in range(10_000)
    ]
    index = SpeakerIndex([*aliases, (99_999, "شاہین مصطفیاف")])
    assert index.closest("شاہین مصطفیٰ یوف") == 99_999  # builds the candidate list
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        index.closest("شاہین مصطفیٰ یوف")
    per_lookup = (time.perf_counter() - start) / runs
    assert per_lookup < 0.005


# --- speaker_for_name --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_alias_spelled_the_same_resolves_without_creating() -> None:
    speaker = SpeakerFactory(name="Shahin Mustafayev")
    speaker_alias_add(speaker=speaker, name="شاہین مصطفیاف", language="ur")
    assert speaker_for_name(name="شاهين مصطفياف", language="fa") == (speaker, False)


@pytest.mark.django_db
def test_a_close_spelling_resolves_and_becomes_an_alias() -> None:
    speaker = SpeakerFactory(name="Shahin Mustafayev")
    speaker_alias_add(speaker=speaker, name="شاہین مصطفیاف", language="ur")

    found, created = speaker_for_name(name="شاہین مصطفیٰ یوف", language="ur")

    assert (found, created) == (speaker, False)
    assert normalise("شاہین مصطفیٰ یوف") in set(speaker.aliases.values_list("key", flat=True))
    assert Speaker.objects.count() == 1


@pytest.mark.django_db
def test_a_close_spelling_resolves_through_the_index_given() -> None:
    speaker = SpeakerFactory(name="Shahin Mustafayev")
    speaker_alias_add(speaker=speaker, name="Shahin Mustafayev", language="en")
    index = SpeakerIndex(SpeakerAlias.objects.values_list("speaker_id", "key"))
    assert speaker_for_name(name="Shahin Mustafaev", language="en", index=index) == (
        speaker,
        False,
    )


@pytest.mark.django_db
def test_a_stale_index_naming_a_deleted_speaker_falls_back_to_the_database() -> None:
    gone = SpeakerFactory()
    index = _index((gone.pk, "Shahin Mustafayev"))
    gone.delete()
    speaker, created = speaker_for_name(name="Shahin Mustafaev", language="en", index=index)
    assert created and speaker.name == "Shahin Mustafaev"


@pytest.mark.django_db
def test_a_name_sharing_only_a_first_name_becomes_a_new_unconfirmed_speaker() -> None:
    known = SpeakerFactory(name="Mohammad Ali")
    speaker_alias_add(speaker=known, name="محمد علی", language="fa")

    speaker, created = speaker_for_name(name="محمد رضا", language="fa", role="سخنگوی دولت")

    assert created and speaker != known
    assert (speaker.name, speaker.role, speaker.kind) == ("محمد رضا", "سخنگوی دولت", "person")
    assert not speaker.is_confirmed
    assert list(speaker.aliases.values_list("name", "language")) == [("محمد رضا", "fa")]


@pytest.mark.django_db
def test_the_same_new_name_twice_gives_one_speaker() -> None:
    first, first_created = speaker_for_name(
        name="Ali Karimi", language="en", kind=Speaker.Kind.PERSON
    )
    second, second_created = speaker_for_name(name="ali  karimi", language="en")
    assert (first_created, second_created) == (True, False)
    assert first == second
    assert Speaker.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_name_is_refused() -> None:
    with pytest.raises(SpeakerError, match="empty name"):
        speaker_for_name(name=" \u200c ", language="fa")


def test_two_workers_creating_the_same_new_name_at_once_create_one_speaker(
    transactional_db,
) -> None:
    # Each worker holds its transaction open after resolving, as extraction does while it
    # stores an article's statements: without the lock both would insert a speaker.
    start = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            start.wait()
            with transaction.atomic():
                speaker, created = speaker_for_name(name=name, language="ur")
                time.sleep(0.3)
            results.append((speaker.pk, created))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=work, args=("شاہین مصطفیٰ یوف",)),
        threading.Thread(target=work, args=("شاہین مصطفی یوف",)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert len({speaker_id for speaker_id, _ in results}) == 1
    assert Speaker.objects.count() == 1


def test_spellings_folding_to_one_key_take_one_lock() -> None:
    assert speaker_lock_key("شاہین مصطفیٰ یوف") == speaker_lock_key("شاہین مصطفیاف")
    assert speaker_lock_key("Mustafayev") == speaker_lock_key("Mustafaev")
    assert speaker_lock_key("Mustafayev") != speaker_lock_key("Mustafa")


# Run by each of two processes: resolve every name given, one transaction each, starting
# together once the file named first exists.
_RESOLVER = """
import os, sys, time
import django

django.setup()
from django.db import connection, transaction
from claims.services.speakers import speaker_for_name

connection.ensure_connection()
print("ready", flush=True)
go, names = sys.argv[1], sys.argv[2:]
while not os.path.exists(go):
    time.sleep(0.001)
for name in names:
    with transaction.atomic():
        speaker_for_name(name=name, language="en")
"""


def _new_names(count: int) -> list[str]:
    # Random letters: no two names are close spellings of each other, so each must become
    # its own speaker.
    rng = random.Random(10)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=9)).capitalize()

    return [f"{word()} {word()}" for _ in range(count)]


def test_two_processes_resolving_the_same_new_names_at_once_create_each_once(
    transactional_db, tmp_path
) -> None:
    names = _new_names(50)
    go = tmp_path / "go"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _RESOLVER, str(go), *names],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        assert process.stdout.readline() == "ready\n", process.communicate()[1]
    go.touch()
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors

    assert Speaker.objects.count() == 50
    assert SpeakerAlias.objects.count() == 50
    assert sorted(SpeakerAlias.objects.values_list("key", flat=True)) == sorted(
        normalise(name) for name in names
    )


# --- speaker_merge ---------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_moves_aliases_and_statements_with_their_links_and_suggestions() -> None:
    editor = User.objects.create_user("editor")
    target = SpeakerFactory(name="Shahin Mustafayev", role="", country="", wikidata_id="")
    speaker_alias_add(speaker=target, name="Shahin Mustafayev", language="en")
    duplicate = SpeakerFactory(
        name="شاہین مصطفیٰ یوف",
        role="نائب وزیر اعظم",
        country="AZ",
        wikidata_id="Q1234",
        is_confirmed=False,
    )
    speaker_alias_add(speaker=duplicate, name="شاہین مصطفیٰ یوف", language="ur")
    speaker_alias_add(speaker=duplicate, name="shahin mustafayev", language="en")  # target has it
    statement = StatementFactory(speaker=duplicate)
    link = ClaimLinkFactory(statement=statement)
    suggestion = SuggestionFactory(statement=statement)
    kept_statement = StatementFactory(speaker=target)

    merged = speaker_merge(target=target, others=[duplicate], user=editor)

    assert merged.pk == target.pk
    assert not Speaker.objects.filter(pk=duplicate.pk).exists()
    assert sorted(merged.aliases.values_list("name", flat=True)) == [
        "Shahin Mustafayev",
        "شاہین مصطفیٰ یوف",
    ]
    assert set(Statement.objects.filter(speaker=merged)) == {statement, kept_statement}
    assert ClaimLink.objects.get(pk=link.pk).statement.speaker_id == merged.pk
    assert Suggestion.objects.get(pk=suggestion.pk).statement_id == statement.pk
    merged.refresh_from_db()
    assert (merged.role, merged.country, merged.wikidata_id) == ("نائب وزیر اعظم", "AZ", "Q1234")
    assert merged.name == "Shahin Mustafayev"


@pytest.mark.django_db
def test_merge_keeps_the_targets_own_details() -> None:
    target = SpeakerFactory(role="Deputy Prime Minister", country="AZ")
    other = SpeakerFactory(role="Minister", country="IR", organisation="Cabinet")
    merged = speaker_merge(target=target, others=[other])
    merged.refresh_from_db()
    assert (merged.role, merged.country, merged.organisation) == (
        "Deputy Prime Minister",
        "AZ",
        "Cabinet",
    )


@pytest.mark.django_db
def test_merge_is_recorded_in_the_history_of_both_speakers() -> None:
    editor = User.objects.create_user("editor")
    target = SpeakerFactory(name="Shahin Mustafayev")
    other = SpeakerFactory(name="شاہین مصطفیٰ یوف")

    speaker_merge(target=target, others=[other], user=editor)

    latest = target.history.latest()
    assert latest.history_change_reason == (f"merged #{other.pk} شاہین مصطفیٰ یوف into #{target.pk}")
    assert latest.history_user == editor
    deletion = Speaker.history.filter(id=other.pk).latest()
    assert deletion.history_type == "-"
    assert deletion.history_change_reason == f"merged into #{target.pk} Shahin Mustafayev"
    assert deletion.history_user == editor


@pytest.mark.django_db
def test_merge_of_two_others_sharing_an_alias_moves_it_once() -> None:
    target = SpeakerFactory()
    others = SpeakerFactory.create_batch(2)
    for other in others:
        speaker_alias_add(speaker=other, name="Ali Karimi")
    merged = speaker_merge(target=target, others=others)
    assert list(merged.aliases.values_list("name", flat=True)) == ["Ali Karimi"]


@pytest.mark.django_db
def test_merge_rejects_the_target_among_the_others() -> None:
    target = SpeakerFactory(name="Ali Karimi")
    with pytest.raises(SpeakerError, match=f"#{target.pk} Ali Karimi into itself"):
        speaker_merge(target=target, others=[target, SpeakerFactory()])


@pytest.mark.django_db
def test_merge_rejects_an_empty_list() -> None:
    target = SpeakerFactory(name="Ali Karimi")
    with pytest.raises(SpeakerError, match=f"into #{target.pk} Ali Karimi: no other"):
        speaker_merge(target=target, others=[])


@pytest.mark.django_db
def test_a_merged_away_name_resolves_to_the_kept_speaker() -> None:
    target = SpeakerFactory(name="Shahin Mustafayev")
    new, _ = speaker_for_name(name="شاہین مصطفیٰ یوف", language="ur")
    speaker_merge(target=target, others=[new])
    assert speaker_for_name(name="شاہین مصطفیٰ یوف", language="ur") == (target, False)


# --- speaker_confirm ---------------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_marks_unconfirmed_speakers_and_records_who() -> None:
    editor = User.objects.create_user("editor")
    unconfirmed = SpeakerFactory.create_batch(2, is_confirmed=False)
    already = SpeakerFactory(is_confirmed=True)

    assert speaker_confirm(speakers=[*unconfirmed, already], user=editor) == 2

    for speaker in unconfirmed:
        speaker.refresh_from_db()
        assert speaker.is_confirmed
        latest = speaker.history.latest()
        assert (latest.history_change_reason, latest.history_user) == ("confirmed", editor)
    assert already.history.count() == 1  # only its creation
