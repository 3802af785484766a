"""Links made by hand name their analyst; edits keep who confirmed a link and how."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from claims.models import ClaimLink, Stance
from claims.services.links import claim_link_save
from tests.factories import ClaimFactory, ClaimLinkFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db) -> User:
    return User.objects.create_user("ana")


def test_a_new_link_is_the_analysts_and_manual(analyst) -> None:
    # The link asks to pass as the system's: the service makes it the analyst's.
    link = ClaimLink(
        statement=StatementFactory(),
        claim=ClaimFactory(),
        stance=Stance.DENIES,
        origin=ClaimLink.Origin.AUTO,
    )

    claim_link_save(link=link, user=analyst)

    link.refresh_from_db()
    assert (link.confirmed_by, link.origin) == (analyst, ClaimLink.Origin.MANUAL)
    assert link.history.get().history_user == analyst


def test_an_edited_link_keeps_who_confirmed_it_and_how(analyst) -> None:
    link = ClaimLinkFactory(origin=ClaimLink.Origin.SEED, stance=Stance.MENTIONS)
    link.stance = Stance.ASSERTS

    claim_link_save(link=link, user=analyst)

    link.refresh_from_db()
    assert (link.stance, link.confirmed_by, link.origin) == ("asserts", None, "seed")
    assert link.history.latest().history_user == analyst
