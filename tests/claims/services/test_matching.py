"""The matcher: multilingual links, evidence, stance, thresholds and a fresh index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from claims.models import Claim, ClaimLink, ClaimVariant, Stance, Statement, Suggestion
from claims.services.matching import MatchingError, statement_link, statement_match
from claims.services.matching_index import match_index
from tests.factories import ClaimFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

TERRITORY = "seed-azerbaijan-territory-attack-iran"


@pytest.fixture
def territory(seeded) -> Claim:
    """The territory claim with its variants, before any statement was confirmed for it."""
    ClaimLink.objects.all().delete()
    return Claim.objects.get(external_id=TERRITORY)


def urdu_statement(text: str, **kwargs) -> Statement:
    return StatementFactory(
        text=text, language="ur", prefix="مہر خبررساں ایجنسی کے مطابق انہوں نے کہا کہ ", **kwargs
    )


def test_an_urdu_denial_links_to_the_territory_claim_through_its_urdu_variant(territory) -> None:
    statement = Statement.objects.get(text__startswith="آذربائیجان ہمیشہ ہمسایہ")

    result = statement_link(statement_id=statement.pk)

    suggestion = Suggestion.objects.get(statement=statement)
    assert suggestion.claim == territory
    assert suggestion.suggested_stance == Stance.DENIES
    assert suggestion.status == Suggestion.Status.PENDING
    assert suggestion.evidence["phrasing"]["kind"] == "variant"
    assert suggestion.evidence["phrasing"]["language"] == "ur"
    matched = {m["word"] for m in suggestion.evidence["matched"]}
    assert {"آذربائیجان", "ایران", "حملے", "زمین", "استعمال", "اجازت"} <= matched
    # Spans point into the statement as published, ready for highlighting.
    for m in suggestion.evidence["matched"]:
        assert statement.text[m["start"] : m["end"]] == m["word"]
    assert result.matches[0].claim_id == territory.pk


def test_a_persian_report_links_through_the_persian_variant(territory) -> None:
    statement = StatementFactory(
        text="وزیر خارجه گفت جمهوری آذربایجان هرگز اجازه نمی‌دهد از خاکش برای حمله به ایران "
        "استفاده شود",
        language="fa",
        prefix="به گزارش خبرگزاری مهر، ",
    )
    assert "\u06cc" in statement.text  # Persian yeh, as Persian writes آذربایجان

    statement_link(statement_id=statement.pk)

    suggestion = Suggestion.objects.get(statement=statement, claim=territory)
    assert suggestion.evidence["phrasing"]["language"] == "fa"
    assert suggestion.suggested_stance == Stance.DENIES


def test_a_persian_report_in_arabic_letters_still_links(territory) -> None:
    # Arabic yeh and kaf (ي ك) where Persian writes ی ک: the same words after normalisation.
    statement = StatementFactory(
        text="جمهوري آذربايجان اجازه داد از خاكش براي حمله به ايران استفاده شود",
        language="fa",
    )
    statement_link(statement_id=statement.pk)
    assert Suggestion.objects.filter(statement=statement, claim=territory).exists()


def test_an_english_report_links_to_the_english_text(territory) -> None:
    statement = StatementFactory(
        text="Azerbaijan allowed Israel to use its territory for the attack on Iran, "
        "a lawmaker claimed",
    )

    statement_link(statement_id=statement.pk)

    suggestion = Suggestion.objects.get(statement=statement, claim=territory)
    assert suggestion.evidence["phrasing"]["kind"] == "claim"
    assert suggestion.suggested_stance == Stance.ASSERTS


def test_an_unrelated_urdu_trade_article_gets_no_territory_suggestion(territory) -> None:
    statement = urdu_statement(
        "ایران اور آذربائیجان کے درمیان تجارت کا حجم گزشتہ سال بڑھ گیا اور دونوں ممالک نے "
        "نئے تجارتی معاہدوں پر دستخط کیے"
    )

    statement_link(statement_id=statement.pk)

    assert not Suggestion.objects.filter(statement=statement, claim=territory).exists()


def test_it_never_suggests_a_rejected_pair_again(territory) -> None:
    statement = Statement.objects.get(text__startswith="آذربائیجان ہمیشہ ہمسایہ")
    statement_link(statement_id=statement.pk)
    Suggestion.objects.filter(statement=statement).update(
        status=Suggestion.Status.REJECTED, reviewed_at="2026-01-01T00:00Z"
    )

    result = statement_link(statement_id=statement.pk)

    assert result.suggestions == []
    assert Suggestion.objects.get(statement=statement).status == Suggestion.Status.REJECTED


def test_linking_a_statement_twice_creates_nothing_twice(territory) -> None:
    statement = Statement.objects.get(text__startswith="آذربائیجان ہمیشہ ہمسایہ")
    first = statement_link(statement_id=statement.pk)
    second = statement_link(statement_id=statement.pk)
    assert first.suggestions
    assert second.suggestions == []
    assert Suggestion.objects.filter(statement=statement).count() == len(first.suggestions)


def test_it_suggests_nothing_for_a_pair_already_confirmed(seeded) -> None:
    statement = Statement.objects.get(text__startswith="آذربائیجان ہمیشہ ہمسایہ")
    statement_link(statement_id=statement.pk)
    assert not Suggestion.objects.filter(statement=statement, claim__external_id=TERRITORY).exists()


def test_a_confirmed_statement_becomes_a_phrasing_of_its_claim(db) -> None:
    claim = ClaimFactory(text="The harbour bridge will close for repairs in spring")
    confirmed = StatementFactory(text="Motorists must find another route across the river")
    ClaimLink.objects.create(statement=confirmed, claim=claim, stance=Stance.ASSERTS)
    statement = StatementFactory(text="Motorists will need another route across the river soon")

    matches = statement_match(statement=statement)

    assert matches[0].claim_id == claim.pk
    assert matches[0].phrasing.kind == "statement"


def test_the_index_sees_a_variant_added_after_it_was_built(db) -> None:
    claim = ClaimFactory(text="The harbour bridge will close for repairs in spring")
    statement = StatementFactory(text="Die Brücke wird im Frühling gesperrt", language="de")
    assert statement_match(statement=statement) == []

    ClaimVariant.objects.create(
        claim=claim, language="de", text="Die Hafenbrücke wird im Frühling gesperrt"
    )

    assert statement_match(statement=statement)[0].claim_id == claim.pk


def test_the_index_sees_a_claim_written_by_plain_sql(db) -> None:
    # Another process or tool writing to the table: the trigger still bumps the version.
    StatementFactory(text="nothing to see here")
    statement = StatementFactory(text="Volcanic ash grounded every flight in Iceland")
    assert statement_match(statement=statement) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO claims_claim (text, language, gloss_en, status, first_seen_at, "
            "created_at, updated_at) VALUES (%s, 'en', '', 'unverified', now(), now(), now())",
            ["Volcanic ash grounded flights across Iceland"],
        )
    assert len(statement_match(statement=statement)) == 1


def test_the_speakers_own_earlier_link_lifts_a_claim(db) -> None:
    speaker = SpeakerFactory()
    claim = ClaimFactory(text="The river port will reopen for grain ships in May")
    other = ClaimFactory(text="The river port will close to grain ships in May")
    ClaimLink.objects.create(
        statement=StatementFactory(speaker=speaker, text="We reopen the river port"),
        claim=claim,
        stance=Stance.ASSERTS,
    )
    statement = StatementFactory(speaker=speaker, text="the river port and grain ships in May")

    matches = {m.claim_id: m for m in statement_match(statement=statement)}

    assert matches[claim.pk].entity == 1.0
    assert matches[other.pk].entity == 0.0
    assert matches[claim.pk].score > matches[other.pk].score


def test_a_sure_match_of_a_long_statement_is_confirmed_automatically(db, settings) -> None:
    settings.MATCH_AUTO_CONFIRM_THRESHOLD = 0.75
    claim = ClaimFactory(text="The central bank raised interest rates to twelve percent")
    statement = StatementFactory(
        text="The central bank raised interest rates to twelve percent on Monday, traders said"
    )

    result = statement_link(statement_id=statement.pk)

    link = ClaimLink.objects.get(statement=statement, claim=claim)
    assert link.origin == ClaimLink.Origin.AUTO
    assert link.suggestion.status == Suggestion.Status.ACCEPTED
    assert result.links == [link]


def test_a_short_statement_is_never_confirmed_automatically(db, settings) -> None:
    settings.MATCH_AUTO_CONFIRM_THRESHOLD = 0.5
    claim = ClaimFactory(text="Interest rates rose to twelve percent")
    statement = StatementFactory(text="Interest rates rose to twelve percent")

    statement_link(statement_id=statement.pk)

    assert not ClaimLink.objects.filter(statement=statement).exists()
    assert Suggestion.objects.get(statement=statement, claim=claim).status == "pending"


def test_it_names_a_statement_that_does_not_exist(db) -> None:
    with pytest.raises(MatchingError, match="statement 987654"):
        statement_link(statement_id=987654)


def test_a_new_link_rebuilds_only_the_index_of_confirmed_statements(db) -> None:
    claim = ClaimFactory(text="The harbour bridge will close for repairs in spring")
    before = match_index()

    ClaimLink.objects.create(statement=StatementFactory(), claim=claim, stance=Stance.ASSERTS)
    after = match_index()

    assert after.main is before.main
    assert after.delta is before.delta
    assert after.links is not before.links
    assert match_index().links is after.links


def test_a_matcher_suggestion_has_one_history_row(territory) -> None:
    statement = Statement.objects.get(text__startswith="آذربائیجان ہمیشہ ہمسایہ")

    statement_link(statement_id=statement.pk)
    statement_link(statement_id=statement.pk)

    suggestion = Suggestion.objects.get(statement=statement)
    history = suggestion.history.get()
    assert (history.history_type, history.status) == ("+", "pending")
    assert (history.history_user, history.history_change_reason) == (None, "matcher")
    for field in Suggestion._meta.concrete_fields:
        assert getattr(history, field.attname) == getattr(suggestion, field.attname), field.name
    assert history.evidence["matched"] and history.evidence["phrasing"]["kind"]


def test_each_of_a_statements_suggestions_gets_its_own_id_and_history_row(db) -> None:
    bridge = ClaimFactory(text="The harbour bridge will close for repairs in spring")
    ferry = ClaimFactory(text="The harbour ferry will stop for repairs in spring")
    statement = StatementFactory(
        text="The harbour bridge and ferry will close for repairs in spring"
    )

    result = statement_link(statement_id=statement.pk)

    stored = {s.claim_id: s.pk for s in Suggestion.objects.filter(statement=statement)}
    assert set(stored) == {bridge.pk, ferry.pk}
    assert {s.claim_id: s.pk for s in result.suggestions} == stored
    for suggestion in result.suggestions:
        assert suggestion.history.get().claim_id == suggestion.claim_id


def test_a_matcher_run_in_an_analysts_request_records_the_analyst(
    territory, django_user_model
) -> None:
    statement = Statement.objects.get(text__startswith="آذربائیجان ہمیشہ ہمسایہ")
    analyst = django_user_model.objects.create(username="analyst")
    request = RequestFactory().get("/")
    request.user = analyst
    HistoricalRecords.context.request = request
    try:
        statement_link(statement_id=statement.pk)
    finally:
        del HistoricalRecords.context.request

    history = Suggestion.objects.get(statement=statement).history.get()
    assert (history.history_user, history.history_change_reason) == (analyst, "matcher")


def test_an_auto_confirmed_link_and_its_suggestion_have_one_history_row_each(db, settings) -> None:
    settings.MATCH_AUTO_CONFIRM_THRESHOLD = 0.75
    claim = ClaimFactory(text="The central bank raised interest rates to twelve percent")
    statement = StatementFactory(
        text="The central bank raised interest rates to twelve percent on Monday, traders said"
    )

    statement_link(statement_id=statement.pk)

    link = ClaimLink.objects.get(statement=statement, claim=claim)
    history = link.history.get()
    assert (history.history_type, history.origin, history.suggestion_id) == (
        "+",
        "auto",
        link.suggestion_id,
    )
    assert (history.history_user, history.history_change_reason) == (None, "matcher")
    assert link.suggestion.history.get().status == Suggestion.Status.ACCEPTED
