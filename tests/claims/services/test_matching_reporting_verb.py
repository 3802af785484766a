"""The link path takes a suggestion's stance from the statement's reporting verb."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimLink, ClaimVariant, Stance, Suggestion
from claims.services.matching import statement_link
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

TERRITORY = "seed-azerbaijan-territory-attack-iran"

# "X denied that Azerbaijan's territory was used for the attack on Iran", as extraction stores
# it: the content clause as the text, the reporting verb as the cue.
DENIALS = {
    "ur": (
        "وزیر خارجہ نے تردید کی کہ ",
        "نے تردید کی",
        "آذربائیجان نے ایران پر حملے کے لیے اپنی زمین استعمال کرنے کی اجازت دی",
    ),
    "fa": (
        "وزیر خارجه تکذیب کرد که ",
        "تکذیب کرد",
        "جمهوری آذربایجان اجازه داد از خاکش برای حمله به ایران استفاده شود",
    ),
    "ar": (
        "نفى وزير الخارجية أن ",
        "نفى",
        "أذربيجان سمحت باستخدام أراضيها للهجوم على إيران",
    ),
    "en": (
        "The foreign minister denied that ",
        "denied",
        "Azerbaijan allowed its territory to be used for the attack on Iran",
    ),
    "ru": (
        "Министр иностранных дел опроверг, что ",
        "опроверг",
        "Азербайджан позволил использовать свою территорию для нападения на Иран",
    ),
    "az": (
        "Xarici işlər naziri təkzib edib ki, ",
        "təkzib edib",
        "Azərbaycan öz ərazisindən İrana hücum üçün istifadə olunmasına icazə verib",
    ),
}


@pytest.fixture
def territory(seeded) -> Claim:
    """The territory claim with its seed variants and an Arabic one, nothing confirmed yet."""
    ClaimLink.objects.all().delete()
    claim = Claim.objects.get(external_id=TERRITORY)
    ClaimVariant.objects.create(
        claim=claim, language="ar", text="أذربيجان سمحت باستخدام أراضيها للهجوم على إيران"
    )
    return claim


@pytest.mark.parametrize("language", sorted(DENIALS))
def test_a_denial_verb_over_a_restating_clause_is_suggested_as_a_denial(
    territory, language
) -> None:
    prefix, cue, clause = DENIALS[language]
    statement = StatementFactory(
        text=clause, language=language, prefix=prefix, cue=cue, cue_stance=Stance.DENIES
    )

    statement_link(statement_id=statement.pk)

    suggestion = Suggestion.objects.get(statement=statement, claim=territory)
    assert suggestion.suggested_stance == Stance.DENIES
    assert suggestion.evidence["stance_cues"][0] == {
        "kind": "reporting verb",
        "words": cue,
        "stance": "denies",
    }


def test_a_neutral_verb_over_the_same_clause_is_still_suggested_as_asserting(territory) -> None:
    clause = DENIALS["fa"][2]
    statement = StatementFactory(
        text=clause, language="fa", prefix="وزیر خارجه گفت که ", cue="گفت", cue_stance=""
    )

    statement_link(statement_id=statement.pk)

    suggestion = Suggestion.objects.get(statement=statement, claim=territory)
    assert suggestion.suggested_stance == Stance.ASSERTS
    assert suggestion.evidence["stance_cues"] == []


def test_an_automatic_link_takes_the_stance_of_the_reporting_verb(territory, settings) -> None:
    settings.MATCH_AUTO_CONFIRM_THRESHOLD = 0.5
    prefix, cue, clause = DENIALS["en"]
    statement = StatementFactory(
        text=clause, language="en", prefix=prefix, cue=cue, cue_stance=Stance.DENIES
    )

    statement_link(statement_id=statement.pk)

    link = ClaimLink.objects.get(statement=statement, claim=territory)
    assert link.origin == ClaimLink.Origin.AUTO
    assert link.stance == link.suggestion.suggested_stance == Stance.DENIES
