"""The hand-off from statement extraction to claim linking.

Ingestion calls `statements_created` inside the transaction that stored new statements.
Claim linking (the matcher) owns this module: it queues one linking task per statement
once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.db import transaction


def statements_created(*, statement_ids: Sequence[int]) -> None:
    """Hook: new statements exist; queue a linking task for each once they are committed."""
    # Imported here: the tasks module imports extraction, which calls this hook.
    from claims.tasks import statement_link_task

    for statement_id in statement_ids:
        # After commit: a worker that starts earlier would not see the statement yet.
        transaction.on_commit(partial(statement_link_task.delay, statement_id))
