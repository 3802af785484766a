"""Reads behind the claims admin's lists: speakers and topics with their counts, speakers
found by an alias in another spelling."""

from __future__ import annotations

import pytest

from claims.models import Speaker, Topic
from claims.selectors import (
    speakers_with_alias,
    speakers_with_statement_counts,
    topics_with_claim_counts,
)
from tests.factories import ClaimFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_speakers_come_with_their_statement_counts() -> None:
    busy, quiet = StatementFactory().speaker, SpeakerFactory()
    StatementFactory(speaker=busy)
    counted = speakers_with_statement_counts(speakers=Speaker.objects.all())
    assert {s.pk: s.statement_count for s in counted} == {busy.pk: 2, quiet.pk: 0}


def test_topics_come_with_their_claim_counts() -> None:
    busy, quiet = Topic.objects.create(name="energy"), Topic.objects.create(name="borders")
    for claim in ClaimFactory.create_batch(2):
        claim.topics.add(busy)
    counted = topics_with_claim_counts(topics=Topic.objects.all())
    assert {t.pk: t.claim_count for t in counted} == {busy.pk: 2, quiet.pk: 0}


def test_a_speaker_is_found_by_an_alias_in_another_spelling() -> None:
    speaker = SpeakerFactory(name="Shahin Mustafayev")
    speaker.aliases.create(name="شاہین مصطفیاف", language="ur")
    SpeakerFactory(name="Someone Else")
    assert list(speakers_with_alias(text="مصطفياف")) == [speaker]
    assert speakers_with_alias(text="   ") is None
