"""Events fire once, for the users who watch and may see them, in the storing transaction."""

from __future__ import annotations

import datetime

import pytest

from alerts.models import Delivery, Event, Notification
from alerts.services.watches import watch_create
from claims.models import Stance, Suggestion
from claims.services.extraction.storing import statements_hand_to_linking
from claims.services.links import claim_link_save
from claims.services.matching import statement_link
from claims.services.review import suggestion_accept
from tests.factories import ClaimFactory, ClaimLinkFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

CLAIM = "Azerbaijan allowed its territory to be used for the attack on Iran"


def notified(user) -> list[tuple[str, int]]:
    return sorted(
        Notification.objects.filter(user=user).values_list("event__kind", "event__statement_id")
    )


def test_a_suggestion_for_a_watched_claim_tells_its_watchers_once(person, settings) -> None:
    settings.MATCH_AUTO_CONFIRM_THRESHOLD = 2  # keep the suggestion pending
    claim = ClaimFactory(text=CLAIM)
    watcher, other = person("watcher"), person("other")
    watch_create(user=watcher, kind="claim", target_id=claim.pk)
    statement = StatementFactory(text=f"{CLAIM}, the spokesman claimed")

    statement_link(statement_id=statement.pk)
    statement_link(statement_id=statement.pk)  # a second run: nothing new

    suggestion = Suggestion.objects.get(statement=statement, claim=claim)
    assert notified(watcher) == [("resurfaced", statement.pk)]
    assert notified(other) == []
    event = Event.objects.get()
    assert (event.claim_id, event.stance, event.confirmed) == (
        claim.pk,
        suggestion.suggested_stance,
        False,
    )

    suggestion_accept(suggestion_id=suggestion.pk, user=person("analyst"), stance="denies")

    event.refresh_from_db()
    assert (event.stance, event.confirmed) == ("denies", True)
    assert Notification.objects.filter(user=watcher).count() == 1


def test_an_accepted_suggestion_tells_watchers_who_were_not_told_of_it_yet(person) -> None:
    claim = ClaimFactory()
    watcher = person("watcher")
    watch_create(user=watcher, kind="claim", target_id=claim.pk)
    suggestion = Suggestion.objects.create(
        statement=StatementFactory(), claim=claim, score=0.7, method="t", suggested_stance="denies"
    )
    analyst = person("analyst")

    suggestion_accept(suggestion_id=suggestion.pk, user=analyst)

    assert notified(watcher) == [("resurfaced", suggestion.statement_id)]
    assert Event.objects.get().confirmed is True


def test_a_user_whose_role_may_not_see_links_is_not_told(person) -> None:
    claim = ClaimFactory()
    no_role = person("norole", role=None)
    viewer = person("viewer", role="Viewer")
    for user in (no_role, viewer):
        # Watches are refused to a role that may not see claims: made by an admin here.
        from alerts.models import Watch

        Watch.objects.create(user=user, kind="claim", claim=claim)
    link = ClaimLinkFactory.build(claim=claim, statement=StatementFactory(), stance=Stance.DENIES)

    claim_link_save(link=link, user=person("analyst"))

    assert notified(no_role) == []
    assert notified(viewer) == [("resurfaced", link.statement_id)]


def _said(speaker, claim, stance, day: int, user):
    statement = StatementFactory(speaker=speaker, said_on=datetime.date(2026, 6, day))
    link = ClaimLinkFactory.build(statement=statement, claim=claim, stance=stance)
    return claim_link_save(link=link, user=user)


def test_a_speaker_who_asserts_after_denying_is_a_reversal_for_speaker_and_claim_watchers(
    person,
) -> None:
    claim, speaker = ClaimFactory(), SpeakerFactory()
    by_speaker, by_claim, bystander = person("a"), person("b"), person("c")
    watch_create(user=by_speaker, kind="speaker", target_id=speaker.pk)
    watch_create(user=by_claim, kind="claim", target_id=claim.pk)
    watch_create(user=bystander, kind="speaker", target_id=SpeakerFactory().pk)
    analyst = person("analyst")

    _said(speaker, claim, Stance.DENIES, 1, analyst)
    _said(speaker, claim, Stance.DENIES, 2, analyst)  # the same again: no reversal
    later = _said(speaker, claim, Stance.ASSERTS, 3, analyst)

    reversals = Event.objects.filter(kind="reversal")
    assert [(e.statement_id, e.previous_stance, e.stance) for e in reversals] == [
        (later.statement_id, "denies", "asserts")
    ]
    assert ("reversal", later.statement_id) in notified(by_speaker)
    assert ("reversal", later.statement_id) in notified(by_claim)
    assert notified(bystander) == []


def test_a_suggested_stance_is_no_reversal_until_it_is_confirmed(person) -> None:
    claim, speaker = ClaimFactory(), SpeakerFactory()
    watcher = person("watcher")
    watch_create(user=watcher, kind="speaker", target_id=speaker.pk)
    analyst = person("analyst")
    _said(speaker, claim, Stance.DENIES, 1, analyst)
    statement = StatementFactory(speaker=speaker, said_on=datetime.date(2026, 6, 5))
    suggestion = Suggestion.objects.create(
        statement=statement, claim=claim, score=0.7, method="t", suggested_stance="asserts"
    )
    from claims.signals import suggestions_stored

    suggestions_stored.send(sender=Suggestion, suggestions=[suggestion])
    assert not Event.objects.filter(kind="reversal").exists()

    suggestion_accept(suggestion_id=suggestion.pk, user=analyst)

    assert Event.objects.filter(kind="reversal", statement=statement).count() == 1


def test_a_speaker_who_only_questions_before_asserting_makes_no_reversal(person) -> None:
    claim, speaker = ClaimFactory(), SpeakerFactory()
    watch_create(user=person("watcher"), kind="speaker", target_id=speaker.pk)
    analyst = person("analyst")
    _said(speaker, claim, Stance.QUESTIONS, 1, analyst)
    _said(speaker, claim, Stance.ASSERTS, 2, analyst)
    assert not Event.objects.filter(kind="reversal").exists()


def test_each_user_is_told_once_and_by_their_most_urgent_watch(person) -> None:
    claim, speaker = ClaimFactory(), SpeakerFactory()
    watcher = person("watcher")
    watch_create(user=watcher, kind="speaker", target_id=speaker.pk, delivery=Delivery.DIGEST)
    watch_create(user=watcher, kind="claim", target_id=claim.pk, delivery=Delivery.IMMEDIATE)
    analyst = person("analyst")
    _said(speaker, claim, Stance.DENIES, 1, analyst)
    later = _said(speaker, claim, Stance.ASSERTS, 2, analyst)

    reversal = Notification.objects.get(user=watcher, event__kind="reversal")
    assert reversal.event.statement_id == later.statement_id
    assert reversal.delivery == Delivery.IMMEDIATE
    assert reversal.email == Notification.Email.PENDING


def test_a_new_statement_is_matched_against_saved_searches(person) -> None:
    watcher = person("watcher")
    watch_create(user=watcher, kind="search", name="Border", query="q=border&language=en")
    matching = StatementFactory(text="the border is closed", language="en")
    elsewhere = StatementFactory(text="the border is closed again", language="ru")
    unrelated = StatementFactory(text="prices went up", language="en")

    statements = [matching, elsewhere, unrelated]
    statements_hand_to_linking(statements, link_in_process=False)
    statements_hand_to_linking(statements, link_in_process=False)

    assert notified(watcher) == [("search", matching.pk)]
