"""Celery tasks of alerts: thin interfaces to alerts/services/delivery.py, safe to run twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from alerts.services import queueing
from alerts.services.delivery import digests_send, emails_requeue_unsent, notification_email_send
from config.celery import retry_transient

# A mail server briefly down or refusing for a moment is worth retrying; the row stays
# pending (its transaction rolled back), so the sweeper also has it.
_RETRY = retry_transient(SMTPException, ConnectionError, TimeoutError)


@shared_task(name=queueing.SEND_EMAIL, **_RETRY)
def notification_email_task(notification_id: int) -> None:
    """E-mail one notification, if still owed."""
    notification_email_send(notification_id=notification_id)


@shared_task(name=queueing.SWEEP_EMAILS)
def sweep_unsent_emails() -> None:
    """Queue again the e-mails whose message was lost."""
    emails_requeue_unsent()


@shared_task(name=queueing.SEND_DIGESTS, **_RETRY)
def send_digests() -> None:
    """Send the daily digests (the time is the beat schedule's, set in the admin)."""
    digests_send()
