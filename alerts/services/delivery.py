"""E-mail delivery: each notification e-mailed once, at once or in the daily digest.

Exactly once: the row is taken with a conditional UPDATE (pending -> sent) in a transaction
that sends the e-mail before it commits. A worker that dies before the SMTP server accepted
the message leaves the row pending (its transaction dies with it), for the sweeper to queue
again; a second delivery of the task finds the row sent and does nothing. The one window
left is a crash after the server accepted the message and before COMMIT: milliseconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alerts.models import Delivery, Event, Notification, Preference, Watch
from alerts.services import permissions, queueing
from alerts.services.watches import unsubscribe_token
from claims.services.sweeping import stale_rows_requeue

logger = logging.getLogger(__name__)

RTL_LANGUAGES = {"ur", "fa", "ar", "ps", "ku", "he"}
EVENT_PERMISSIONS = {
    Event.Kind.RESURFACED: permissions.RESURFACED_LINKED,
    Event.Kind.REVERSAL: permissions.REVERSAL,
    Event.Kind.SEARCH: permissions.SEARCH_PAGE,
}


def text_direction(language: str) -> str:
    """The `dir` of a text in `language`: rtl for right-to-left scripts, else auto."""
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "auto"


def isolate(text: str, language: str) -> str:
    """Text for a plain-text e-mail, in Unicode isolates when right-to-left, so it keeps
    its own direction beside the left-to-right wording around it."""
    return f"\u2067{text}\u2069" if text_direction(language) == "rtl" else f"\u2068{text}\u2069"


def user_language(user) -> str:
    preference = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    return preference or settings.LANGUAGE_CODE.split("-")[0]


def _permissions_for(notification: Notification) -> tuple[str, ...]:
    event = notification.event
    if event.kind == Event.Kind.RESURFACED and not event.confirmed:
        return permissions.RESURFACED_SUGGESTED
    return EVENT_PERMISSIONS[event.kind]


@dataclass
class Item:
    """One event as an e-mail (or the notifications page) shows it."""

    notification: Notification
    title: str
    stance: str
    previous_stance: str
    statement: str
    language: str
    direction: str
    speaker: str
    outlet: str
    claim: str
    url: str
    unsubscribe_url: str
    watch: str

    @property
    def isolated(self) -> str:
        return isolate(self.statement, self.language)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def item_of(notification: Notification) -> Item:
    """The notification's event, worded in the active language."""
    event = notification.event
    statement = event.statement
    claim = event.claim
    if event.kind == Event.Kind.RESURFACED:
        title = _("Claim resurfaced") if event.confirmed else _("Claim resurfaced (suggested)")
    elif event.kind == Event.Kind.REVERSAL:
        title = _("Speaker reversal")
    else:
        title = _("Saved search matched")
    if claim is not None:
        url = reverse("claims:claim", args=[claim.pk])
    else:
        url = reverse("claims:search") + f"?{event.watch.query}" if event.watch else "/"
    watch = notification.watch
    return Item(
        notification=notification,
        title=title,
        stance=event.get_stance_display() if event.stance else "",
        previous_stance=event.get_previous_stance_display() if event.previous_stance else "",
        statement=statement.text,
        language=statement.language,
        direction=text_direction(statement.language),
        speaker=statement.speaker.name,
        outlet=statement.article.source.name,
        claim=str(claim) if claim is not None else "",
        url=_absolute(url),
        unsubscribe_url=(
            _absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(watch)]))
            if watch
            else ""
        ),
        watch=str(watch) if watch else "",
    )


def _notifications(ids: Sequence[int]):
    return (
        Notification.objects.filter(pk__in=ids)
        .select_related(
            "user",
            "watch__claim",
            "watch__speaker",
            "event__claim",
            "event__watch",
            "event__statement__speaker",
            "event__statement__article__source",
        )
        .order_by("created_at", "id")
    )


def _message(*, user, subject: str, items: list[Item], context: dict) -> EmailMultiAlternatives:
    context = {"items": items, "user": user, "site_url": settings.SITE_URL, **context}
    text = render_to_string("alerts/email/alerts.txt", context)
    html = render_to_string("alerts/email/alerts.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    unsubscribe = {item.unsubscribe_url for item in items if item.unsubscribe_url}
    if len(unsubscribe) == 1:
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe.pop()}>"
    return message


def _subject(item: Item) -> str:
    what = item.claim or item.watch
    subject = f"[Claimledger] {item.title}: {item.speaker}"
    if item.stance:
        subject += f" ({item.stance.lower()})"
    if what:
        subject += f" · {what}"
    return subject[:200]


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one immediate notification if it is still owed; whether this call sent it."""
    with transaction.atomic():
        taken = Notification.objects.filter(
            pk=notification_id, email=Notification.Email.PENDING
        ).update(email=Notification.Email.SENT, email_sent_at=timezone.now())
        if not taken:
            return False
        notification = _notifications([notification_id]).get()
        user = notification.user
        # Unsubscribed since, no address any more, or a role that no longer may see it.
        if (
            notification.watch is None
            or not user.email
            or not permissions.may(user, _permissions_for(notification))
        ):
            Notification.objects.filter(pk=notification_id).update(
                email=Notification.Email.NONE, email_sent_at=None
            )
            return False
        with translation.override(user_language(user)):
            item = item_of(notification)
            message = _message(
                user=user, subject=_subject(item), items=[item], context={"digest": False}
            )
            message.send()
    return True


def emails_requeue_unsent() -> int:
    """Queue again the immediate e-mails whose message was lost (a worker that died)."""
    return stale_rows_requeue(
        pending=Notification.objects.filter(
            email=Notification.Email.PENDING, delivery=Delivery.IMMEDIATE
        ),
        stamp="email_queued_at",
        queue=queueing.emails_queue,
    )


def _digest_page(user_id: int) -> tuple[list[int], int]:
    """Take the next page of a user's owed digest notifications (rows locked until commit)."""
    owed = Notification.objects.filter(
        user_id=user_id, email=Notification.Email.PENDING, delivery=Delivery.DIGEST
    )
    ids = list(
        owed.select_for_update(skip_locked=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[: settings.ALERT_DIGEST_PAGE]
    )
    remaining = owed.count() - len(ids)
    owed.filter(pk__in=ids).update(email=Notification.Email.SENT, email_sent_at=timezone.now())
    return ids, remaining


def digest_send(*, user_id: int) -> int:
    """E-mail a user's owed digest notifications, ALERT_DIGEST_PAGE events per e-mail;
    how many e-mails were sent. Each page is taken and sent in its own transaction."""
    sent = 0
    total = Notification.objects.filter(
        user_id=user_id, email=Notification.Email.PENDING, delivery=Delivery.DIGEST
    ).count()
    pages = -(-total // settings.ALERT_DIGEST_PAGE)
    while True:
        with transaction.atomic():
            ids, remaining = _digest_page(user_id)
            if not ids:
                return sent
            notifications = list(_notifications(ids))
            user = notifications[0].user
            keep = [
                n
                for n in notifications
                if n.watch is not None and user.email and permissions.may(user, _permissions_for(n))
            ]
            dropped = [n.pk for n in notifications if n not in keep]
            if dropped:
                Notification.objects.filter(pk__in=dropped).update(
                    email=Notification.Email.NONE, email_sent_at=None
                )
            if not keep:
                continue
            sent += 1
            with translation.override(user_language(user)):
                items = [item_of(n) for n in keep]
                subject = _("[Claimledger] Your alerts: %(count)d events") % {"count": len(items)}
                if pages > 1:
                    subject += f" ({min(sent, pages)}/{pages})"
                message = _message(
                    user=user,
                    subject=subject,
                    items=items,
                    context={"digest": True, "remaining": remaining, "part": sent, "pages": pages},
                )
                message.send()


def digests_send() -> int:
    """Send every user's digest (the beat schedule "Send alert digests"); e-mails sent."""
    users = (
        Notification.objects.filter(email=Notification.Email.PENDING, delivery=Delivery.DIGEST)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", flat=True)
    )
    return sum(digest_send(user_id=user_id) for user_id in list(users))


def watch_unsubscribe(*, watch: Watch) -> None:
    """Remove a watch from its e-mail's link: its owed e-mails are not sent."""
    watch.delete()
