"""A worker killed between an event and its e-mail: the e-mail still arrives, once."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, transaction

from alerts.models import Notification
from alerts.services.delivery import emails_requeue_unsent, notification_email_send
from alerts.services.watches import watch_create
from claims.models import Stance
from claims.services.links import claim_link_save
from tests.factories import ClaimFactory, ClaimLinkFactory, StatementFactory
from tests.workers import WorkerProcess, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_mid_delivery_still_delivers_exactly_once(
    person, smtp_server, settings, tmp_path
) -> None:
    settings.STALE_AFTER_SECONDS = 0  # the sweeper below finds the owed e-mail at once
    mail_env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
    }
    claim = ClaimFactory()
    watcher = person("watcher")
    watch_create(user=watcher, kind="claim", target_id=claim.pk, delivery="immediate")
    from config.celery import app

    app.control.purge()
    # The event lands while no worker runs: its e-mail task waits in the queue.
    with transaction.atomic():
        link = ClaimLinkFactory.build(
            claim=claim, statement=StatementFactory(), stance=Stance.DENIES
        )
        claim_link_save(link=link, user=person("analyst"))
    notification = Notification.objects.get(user=watcher)

    # Hold the notification's row: the worker takes the task and stops at its UPDATE.
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute(
            "SELECT id FROM alerts_notification WHERE id = %s FOR UPDATE", [notification.pk]
        )
        worker = WorkerProcess(tmp_path, name="doomed")
        worker.start(purge=False, **mail_env)
        wait_until(lambda: _lock_waiters() > 0, what="the worker to wait on the held row")
        worker.kill()
        other.rollback()
    notification.refresh_from_db()
    assert notification.email == Notification.Email.PENDING
    assert smtp_server.messages == []

    # Its message died unacknowledged with it: the sweeper queues the e-mail again.
    replacement = WorkerProcess(tmp_path, name="replacement")
    replacement.start(**mail_env)
    try:
        # (The killed worker's session may hold the row a moment longer: the sweeper skips
        # locked rows, so it is asked until it queued it.)
        wait_until(lambda: emails_requeue_unsent() >= 1, what="the sweeper to queue it")
        wait_until(lambda: len(smtp_server.messages) == 1, what="the e-mail to arrive")
        wait_until(
            lambda: Notification.objects.get(pk=notification.pk).email == "sent",
            what="the notification to be marked sent",
        )
        # A late second delivery (the old message back from Redis) sends nothing.
        assert notification_email_send(notification_id=notification.pk) is False
    finally:
        replacement.stop()
    assert len(smtp_server.messages) == 1
    assert "Claim resurfaced" in smtp_server.messages[0]["Subject"]
