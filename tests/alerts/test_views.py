"""The watch buttons, the user's watches, the notifications page and the unread badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alerts.models import Watch
from alerts.services.watches import unsubscribe_token, watch_create
from claims.models import Stance
from claims.services.links import claim_link_save
from tests.factories import ClaimFactory, ClaimLinkFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_an_analyst_watches_a_claim_from_its_page_and_finds_it_on_their_own_page(
    client, person
) -> None:
    claim = ClaimFactory()
    analyst = person("analyst")
    client.force_login(analyst)
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert 'id="watch-button"' in page

    response = client.post(
        reverse("alerts:watch_add"),
        {"kind": "claim", "target": claim.pk, "delivery": "immediate", "next": "/claims/"},
    )

    assert response.status_code == 302 and response["Location"] == "/claims/"
    watch = Watch.objects.get(user=analyst)
    assert (watch.claim_id, watch.delivery) == (claim.pk, "immediate")
    mine = client.get(reverse("alerts:watches")).content.decode()
    assert f'id="watch-{watch.pk}"' in mine
    assert "Stop watching" in client.get(reverse("claims:claim", args=[claim.pk])).content.decode()


def test_a_speaker_is_watched_from_the_speaker_page_and_the_admin(client, person) -> None:
    speaker = SpeakerFactory()
    client.force_login(person("editor", role="Editor"))
    assert (
        'id="watch-button"'
        in client.get(reverse("claims:speaker", args=[speaker.pk])).content.decode()
    )
    admin_page = client.get(reverse("admin:claims_speaker_change", args=[speaker.pk]))
    assert 'id="watch-button"' in admin_page.content.decode()


def test_the_search_page_saves_its_filters_under_a_name(client, person) -> None:
    user = person("viewer", role="Viewer")
    client.force_login(user)
    page = client.get(reverse("claims:search"), {"language": "ur", "q": "territory"})
    assert 'id="save-search"' in page.content.decode()
    client.post(
        reverse("alerts:watch_add"),
        {"kind": "search", "name": "Urdu territory", "query": "language=ur&q=territory&page=2"},
    )
    watch = Watch.objects.get(user=user)
    assert (watch.name, watch.query) == ("Urdu territory", "language=ur&q=territory")


def test_a_watch_is_removed_by_its_owner_only(client, person) -> None:
    owner, other = person("owner"), person("other")
    watch = watch_create(user=owner, kind="claim", target_id=ClaimFactory().pk)
    client.force_login(other)
    client.post(reverse("alerts:watch_remove", args=[watch.pk]))
    assert Watch.objects.filter(pk=watch.pk).exists()
    client.force_login(owner)
    client.post(reverse("alerts:watch_remove", args=[watch.pk]))
    assert not Watch.objects.filter(pk=watch.pk).exists()


def test_changes_need_a_post_with_the_csrf_token(person) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(person("analyst"))
    claim = ClaimFactory()
    assert client.get(reverse("alerts:watch_add")).status_code == 405
    refused = client.post(reverse("alerts:watch_add"), {"kind": "claim", "target": claim.pk})
    assert refused.status_code == 403
    assert not Watch.objects.exists()


def test_the_unread_badge_and_the_notification_show_until_marked_read(client, person) -> None:
    claim = ClaimFactory()
    watcher = person("watcher")
    watch_create(user=watcher, kind="claim", target_id=claim.pk)
    statement = StatementFactory(text="the territory was never used", language="en")
    link = ClaimLinkFactory.build(statement=statement, claim=claim, stance=Stance.DENIES)
    claim_link_save(link=link, user=person("analyst"))
    client.force_login(watcher)

    for url in (reverse("claims:search"), reverse("admin:index")):
        assert '<span class="badge" id="alerts-unread" title="Unread alerts">1</span>' in (
            client.get(url).content.decode()
        )
    page = client.get(reverse("alerts:notifications")).content.decode()
    assert "Claim resurfaced" in page and "the territory was never used" in page

    client.post(reverse("alerts:mark_read"), {"all": "1"})

    assert 'id="alerts-unread"' not in client.get(reverse("claims:search")).content.decode()


def test_an_unsubscribe_link_works_signed_out_and_only_by_post(client, person) -> None:
    watch = watch_create(user=person("watcher"), kind="claim", target_id=ClaimFactory().pk)
    url = reverse("alerts:unsubscribe", args=[unsubscribe_token(watch)])
    assert client.get(url).status_code == 200
    assert Watch.objects.filter(pk=watch.pk).exists()
    assert "Unsubscribed" in client.post(url).content.decode()
    assert not Watch.objects.filter(pk=watch.pk).exists()
    forged = reverse("alerts:unsubscribe", args=[f"{watch.pk}:forged"])
    assert client.get(forged).status_code == 404
