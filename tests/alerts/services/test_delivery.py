"""Alert e-mails reach a real SMTP server: once, with the right subject, body and links."""

from __future__ import annotations

import pytest
from django.core import mail

from alerts.models import Delivery, Notification
from alerts.services.delivery import digests_send, emails_requeue_unsent, notification_email_send
from alerts.services.notifications import preference_set
from alerts.services.watches import unsubscribe_token, watch_create
from claims.models import Stance
from claims.services.links import claim_link_save
from tests.alerts.conftest import body_html, body_text
from tests.factories import ClaimFactory, ClaimLinkFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

DENIAL = "آذربائیجان کی سرزمین ایران کے خلاف استعمال نہیں ہوئی"


def _denial(claim, analyst, *, text: str = DENIAL, speaker=None):
    statement = StatementFactory(
        text=text, language="ur", speaker=speaker or SpeakerFactory(name="Shahin Mustafayev")
    )
    link = ClaimLinkFactory.build(statement=statement, claim=claim, stance=Stance.DENIES)
    return claim_link_save(link=link, user=analyst)


def test_an_immediate_alert_arrives_once_with_subject_body_and_unsubscribe_link(
    person, smtp_server
) -> None:
    claim = ClaimFactory(text="Azerbaijan allowed its territory to be used", gloss_en="")
    watcher = person("watcher")
    watch = watch_create(user=watcher, kind="claim", target_id=claim.pk, delivery="immediate")
    _denial(claim, person("analyst"))
    notification = Notification.objects.get(user=watcher)

    assert notification_email_send(notification_id=notification.pk) is True
    assert notification_email_send(notification_id=notification.pk) is False  # a second run

    [message] = smtp_server.messages
    assert message["To"] == "watcher@desk.example"
    assert message["Subject"].strip() == (
        "[Claimledger] Claim resurfaced: Shahin Mustafayev (denies)"
        " · Azerbaijan allowed its territory to be used"
    )
    text, html = body_text(message), body_html(message)
    assert f"\u2067{DENIAL}\u2069" in text
    assert f'<blockquote dir="rtl" lang="ur">{DENIAL}</blockquote>' in html
    token = unsubscribe_token(watch)
    assert f"/alerts/unsubscribe/{token}/" in text and f"/alerts/unsubscribe/{token}/" in html
    assert message["List-Unsubscribe"].endswith(f"/alerts/unsubscribe/{token}/>")
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT


def test_the_chrome_is_in_the_users_language_and_the_statement_in_its_own(
    person, smtp_server
) -> None:
    claim = ClaimFactory()
    watcher = person("watcher")
    preference_set(user=watcher, language="ur")
    watch_create(user=watcher, kind="claim", target_id=claim.pk, delivery="immediate")
    _denial(claim, person("analyst"))
    notification_email_send(notification_id=Notification.objects.get(user=watcher).pk)
    message = smtp_server.messages[0]
    assert message["Subject"].strip().startswith("[Claimledger] دعویٰ پھر سامنے آیا: ")
    html = body_html(message)
    assert '<html lang="ur" dir="rtl">' in html
    assert "<h2>دعویٰ پھر سامنے آیا · " in html
    assert "مقرر: " in body_text(message)
    assert f'<blockquote dir="rtl" lang="ur">{DENIAL}</blockquote>' in html


def test_an_unsubscribed_watch_sends_nothing_more(person, smtp_server) -> None:
    claim = ClaimFactory()
    watcher = person("watcher")
    watch = watch_create(user=watcher, kind="claim", target_id=claim.pk, delivery="immediate")
    _denial(claim, person("analyst"))
    watch.delete()
    assert notification_email_send(notification_id=Notification.objects.get().pk) is False
    assert smtp_server.messages == []


def test_a_digest_of_many_events_is_split_into_numbered_emails(
    person, smtp_server, settings
) -> None:
    settings.ALERT_DIGEST_PAGE = 4
    claim = ClaimFactory()
    watcher = person("watcher")
    watch_create(user=watcher, kind="claim", target_id=claim.pk, delivery=Delivery.DIGEST)
    analyst = person("analyst")
    for n in range(10):
        _denial(claim, analyst, text=f"{DENIAL} {n}")

    assert digests_send() == 3
    assert digests_send() == 0  # beat firing twice sends nothing more

    subjects = sorted(m["Subject"].strip() for m in smtp_server.messages)
    assert subjects == [
        "[Claimledger] Your alerts: 2 events (3/3)",
        "[Claimledger] Your alerts: 4 events (1/3)",
        "[Claimledger] Your alerts: 4 events (2/3)",
    ]
    statements = "".join(body_text(m) for m in smtp_server.messages)
    assert all(f"{DENIAL} {n}" in statements for n in range(10))
    assert not Notification.objects.filter(email=Notification.Email.PENDING).exists()


def test_in_app_watches_and_users_without_an_address_get_no_email(person, smtp_server) -> None:
    claim = ClaimFactory()
    quiet = person("quiet")
    watch_create(user=quiet, kind="claim", target_id=claim.pk, delivery=Delivery.IN_APP)
    nameless = person("nameless", email="")
    watch_create(user=nameless, kind="claim", target_id=claim.pk, delivery=Delivery.IMMEDIATE)
    _denial(claim, person("analyst"))
    assert set(Notification.objects.values_list("email", flat=True)) == {"none"}
    assert emails_requeue_unsent() == 0 and digests_send() == 0
    assert smtp_server.messages == [] and mail.outbox == []
