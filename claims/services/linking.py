"""The hand-off from statement extraction to claim linking.

Ingestion calls `statements_created` inside the transaction that stored new statements.
Claim linking (the matcher) owns this module: it queues one linking task per statement
once the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

logger = logging.getLogger(__name__)


def statements_created(*, statement_ids: Sequence[int]) -> None:
    """Hook: new statements exist. Until the matcher lands, this only records the hand-off."""
    if statement_ids:
        logger.debug("claim linking not installed; %d statements await it", len(statement_ids))
