"""Celery tasks: thin interfaces to the services. Each takes primary keys and is safe to run
twice (each service takes its row with a conditional update, or writes nothing already
written). Product code queues them through `claims.services.queueing`, by name."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_init

from claims.services import queueing
from claims.services.encoder import EncoderError, encoder_get
from claims.services.extraction.storing import article_extract
from claims.services.extraction.sweeping import articles_requeue_stale
from claims.services.matching import statement_link_pending
from claims.services.matching_rescan import claim_link_recent
from claims.services.matching_shared import shared_index_refresh
from claims.services.reextraction import article_reextract
from claims.services.sweeping import claims_requeue_unsearched, statements_requeue_unmatched
from config.celery import retry_transient

logger = logging.getLogger(__name__)


@worker_init.connect
def _encoder_before_fork(**kwargs: object) -> None:
    """Load the dense encoder, if configured, in the worker's main process before its pool
    forks: every pool process then shares the weights and torch's own memory (copy-on-write)
    instead of loading them again. Measured with all-MiniLM-L6-v2, two pool processes linking
    200 statements: 393-396 MiB private each when each loaded the model, 63-177 MiB when
    forked after it (README, "Dense vectors at scale").
    """
    try:
        encoder = encoder_get()
    except EncoderError as exc:
        # Said once here; each task that needs the model says it again (and fails).
        logger.error("%s", exc)
        return
    if encoder is not None:
        logger.info("dense encoder %s loaded before the pool starts", encoder.name)


_RETRY = retry_transient()


@shared_task(name=queueing.EXTRACT_ARTICLE, **_RETRY)
def extract_statements(article_id: int) -> None:
    """Extract the statements of a new article and hand them to claim linking."""
    article_extract(article_id=article_id)


@shared_task(name=queueing.REEXTRACT_ARTICLE, **_RETRY)
def reextract_article(article_id: int) -> None:
    """Extract an article again after speakers or rules changed; analysts' work is kept."""
    article_reextract(article_id=article_id)


@shared_task(name=queueing.LINK_STATEMENT, **_RETRY)
def statement_link_task(statement_id: int) -> None:
    """Suggest claims for a new statement."""
    statement_link_pending(statement_id=statement_id)


@shared_task(name=queueing.SEARCH_FOR_CLAIM, **_RETRY)
def claim_link_recent_task(claim_id: int) -> None:
    """Search recent statements for a new claim or a claim with a new variant."""
    claim_link_recent(claim_id=claim_id)


@shared_task
def sweep_stale_articles() -> None:
    """Queue again the articles whose extraction message was lost."""
    articles_requeue_stale()


@shared_task(name=queueing.SWEEP_UNMATCHED_STATEMENTS)
def sweep_unmatched_statements() -> None:
    """Queue claim matching again for statements whose link message was lost."""
    statements_requeue_unmatched()


@shared_task(name=queueing.SWEEP_UNSEARCHED_CLAIMS)
def sweep_unsearched_claims() -> None:
    """Queue again the recent-statement searches whose message was lost."""
    claims_requeue_unsearched()


@shared_task(name=queueing.REFRESH_MATCHING_INDEX)
def refresh_matching_index() -> None:
    """Build this machine's saved claim index again if claims changed enough since the last."""
    shared_index_refresh()
