"""The premise of the fault suite: the story's `ingest --sync` result is one result, whatever
order its articles are extracted in, and it exercises what the faults threaten."""

from __future__ import annotations

from django.core.management import call_command

from tests.faults import story
from tests.faults.harness import snapshot


def test_the_story_gives_the_same_sync_result_in_any_order(fault_run, reference) -> None:
    backwards = story.write_jsonl(fault_run.folder / "backwards.jsonl", story.articles()[::-1])
    call_command("ingest", str(backwards), "--sync")
    assert snapshot().differences(reference) == []


def test_the_story_quotes_fifty_new_speakers_and_suggests_claims_in_every_language(
    reference,
) -> None:
    registered = {name for name, _ in story.REGISTERED}
    new = [speaker for speaker in reference.speakers if speaker[0] not in registered]
    assert len(new) == 50
    assert len(reference.articles) == 50
    assert len(reference.statements) >= 150
    languages = {url.split("//")[1].split(".")[0] for url, *_ in reference.suggestions}
    assert languages == {"en", "ur", "fa", "ar"}
    assert {suggestion[5] for suggestion in reference.suggestions} >= {"asserts", "denies"}
