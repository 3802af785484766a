"""Invariants the database itself enforces, whatever code writes to it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from claims.models import ClaimLink, Stance, Suggestion
from tests.factories import (
    ClaimFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


def test_a_rejected_pair_cannot_be_suggested_again() -> None:
    rejected = SuggestionFactory(
        status=Suggestion.Status.REJECTED, reviewed_at=timezone.now(), reject_reason="off topic"
    )
    with pytest.raises(IntegrityError):
        SuggestionFactory(statement=rejected.statement, claim=rejected.claim)


def test_a_decided_suggestion_must_record_when() -> None:
    with pytest.raises(IntegrityError):
        SuggestionFactory(status=Suggestion.Status.ACCEPTED, reviewed_at=None)


def test_a_pending_suggestion_has_no_reject_reason() -> None:
    with pytest.raises(IntegrityError):
        SuggestionFactory(reject_reason="why?")


def test_a_statement_links_to_a_claim_once() -> None:
    statement, claim = StatementFactory(), ClaimFactory()
    ClaimLink.objects.create(statement=statement, claim=claim, stance=Stance.DENIES)
    with pytest.raises(IntegrityError):
        ClaimLink.objects.create(statement=statement, claim=claim, stance=Stance.ASSERTS)


def test_statement_text_must_match_its_span_length() -> None:
    with pytest.raises(IntegrityError):
        StatementFactory(text="abc", start=0, end=4)


def test_statement_clean_names_a_text_that_is_not_in_the_article() -> None:
    statement = StatementFactory.build(article=StatementFactory().article, text="something else")
    statement.end = statement.start + len(statement.text)
    with pytest.raises(ValidationError, match="fix the offsets"):
        statement.clean()


def test_a_span_holds_one_statement() -> None:
    first = StatementFactory()
    with pytest.raises(IntegrityError):
        StatementFactory(article=first.article, text=first.text, start=first.start, end=first.end)


def test_language_codes_are_checked() -> None:
    with pytest.raises(IntegrityError):
        ClaimFactory(language="Urdu")


def test_wikidata_ids_are_checked_and_unique() -> None:
    SpeakerFactory(wikidata_id="Q42")
    with pytest.raises(IntegrityError):
        SpeakerFactory(wikidata_id="Q42")


def test_a_malformed_wikidata_id_is_refused() -> None:
    with pytest.raises(IntegrityError):
        SpeakerFactory(wikidata_id="42")


def test_an_alias_key_ignores_spelling_variants() -> None:
    speaker = SpeakerFactory()
    SpeakerAliasFactory(speaker=speaker, name="آذربائیجان")
    with pytest.raises(IntegrityError):
        SpeakerAliasFactory(speaker=speaker, name="آذربایجان")
