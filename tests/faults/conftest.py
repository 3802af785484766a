from __future__ import annotations

import pytest

from tests.faults.harness import FaultRun, Snapshot
from tests.workers import broker_flush


@pytest.fixture
def fault_run(transactional_db, tmp_path, settings):
    """The story's file, claims imported and speakers registered, ready to ingest."""
    # Rows pending longer than a second are swept again: the sweeps after a fault need not
    # wait the production threshold (the workers get it through their environment).
    settings.STALE_AFTER_SECONDS = 1
    # No auto-confirmation, in this process and the workers: a confirmed link becomes a
    # phrasing of its claim and marks its speaker as having made the claim, so the scores
    # of every later statement would depend on the order statements were matched in, which
    # no two runs share.
    settings.MATCH_AUTO_CONFIRM_THRESHOLD = 2.0
    run = FaultRun(tmp_path)
    run.prepare()
    # An empty queue to start from, whichever test ran before (some leave messages behind,
    # and a scenario that queues before its first worker starts does not purge).
    broker_flush()
    yield run
    run.stop_workers()
    # Messages a killed worker never acknowledged would come back into a later test.
    broker_flush()


@pytest.fixture
def reference(fault_run) -> Snapshot:
    """The file's `ingest --sync` result, computed in this process, then wiped."""
    return fault_run.reference()
