"""The one place product code queues background work.

Services sit below the task modules and never import them: they queue a task by its registered
name, which the task modules take from here. Each function queues once the current transaction
commits, because a worker that starts earlier would not see the rows it is asked about; a
message lost on the way is made good by the sweepers, which look at the rows' states.

So a broker that cannot be reached is not an error here: the rows are committed and stay
pending, one warning says so, and sending pauses for a while, because each attempt spends a
second on retries and a file of a thousand articles would otherwise take a thousand seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from claims.models import Claim, MatchingStatus

logger = logging.getLogger(__name__)

BROKER_DOWN_PAUSE_SECONDS = 60

# Registered task names. They are what travels through the broker, so they stay as they are
# when code moves: a renamed task would strand the messages already queued under the old name.
EXTRACT_ARTICLE = "claims.tasks.extract_statements"
REEXTRACT_ARTICLE = "claims.tasks.reextract_article"
LINK_STATEMENT = "claims.tasks.statement_link_task"
SEARCH_FOR_CLAIM = "claims.tasks.claim_link_recent_task"
SWEEP_UNMATCHED_STATEMENTS = "claims.tasks.sweep_unmatched_statements"
SWEEP_UNSEARCHED_CLAIMS = "claims.tasks.sweep_unsearched_claims"
REFRESH_MATCHING_INDEX = "claims.tasks.refresh_matching_index"
DELIVER_WEBHOOK = "api.tasks.deliver_webhook"
SWEEP_PENDING_WEBHOOKS = "api.tasks.sweep_pending_webhooks"


@dataclass
class _Broker:
    down_until: float = 0.0

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until


_broker = _Broker()


def broker_unreachable() -> bool:
    """Whether this process found the broker down within the last pause."""
    return _broker.is_down()


def _send(task_name: str, pk: int) -> None:
    if _broker.is_down():
        return
    try:
        current_app.send_task(task_name, args=(pk,))
    except OperationalError as exc:
        _broker.down_until = time.monotonic() + BROKER_DOWN_PAUSE_SECONDS
        logger.warning(
            "The broker cannot be reached (%s). What was stored stays pending in the database "
            "and the sweeper queues it once the broker is back; nothing more is sent from this "
            "process for %d seconds.",
            exc,
            BROKER_DOWN_PAUSE_SECONDS,
        )


def _queue_after_commit(task_name: str, ids: Iterable[int]) -> int:
    queued = 0
    for pk in ids:
        transaction.on_commit(partial(_send, task_name, pk))
        queued += 1
    return queued


def queue_after_commit(task_name: str, ids: Iterable[int]) -> int:
    """Queue task `task_name` for each id once the transaction commits, as every function
    here does: for the apps above claims (alerts), whose tasks claims does not name."""
    return _queue_after_commit(task_name, ids)


def articles_extract_queue(article_ids: Iterable[int]) -> int:
    """Queue the extraction of each new article; returns how many were queued."""
    return _queue_after_commit(EXTRACT_ARTICLE, article_ids)


def articles_reextract_queue(article_ids: Iterable[int]) -> int:
    """Queue a second extraction of each article (speakers or rules changed)."""
    return _queue_after_commit(REEXTRACT_ARTICLE, article_ids)


def statements_link_queue(statement_ids: Iterable[int]) -> int:
    """Queue claim linking for each new statement."""
    return _queue_after_commit(LINK_STATEMENT, statement_ids)


def claim_search_queue(*, claim_id: int) -> None:
    """Queue the search of recent statements for a new claim or a claim with a new variant."""
    claims_search_owed([claim_id])


def claims_search_owed(claim_ids: Iterable[int]) -> int:
    """Queue the search of recent statements for new claims, or claims with new wording.

    The claims are marked pending first, in one UPDATE in the caller's transaction: the search
    is owed from the moment the phrasing exists, whether or not its message arrives.
    """
    ids = list(claim_ids)
    Claim.objects.filter(pk__in=ids).update(
        matching_status=MatchingStatus.PENDING, matching_status_changed_at=timezone.now()
    )
    return _queue_after_commit(SEARCH_FOR_CLAIM, ids)


def claims_search_queue(claim_ids: Iterable[int]) -> int:
    """Queue the search for claims already marked pending (the sweeper's re-queue)."""
    return _queue_after_commit(SEARCH_FOR_CLAIM, claim_ids)


def webhook_deliveries_queue(delivery_ids: Iterable[int]) -> int:
    """Queue the POST of each webhook delivery (api/services/webhooks.py)."""
    return _queue_after_commit(DELIVER_WEBHOOK, delivery_ids)
