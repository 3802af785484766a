"""The broker flushed mid-run: everything queued or taken is gone, and the sweepers, reading
the rows' states, bring every article and statement back to the `--sync` result."""

from __future__ import annotations

from tests.faults import story
from tests.faults.harness import (
    name_first_quoted_in,
    new_name_held,
    pending_counts,
    processed_articles,
    wait_until_a_worker_waits,
)
from tests.workers import broker_flush, queued_messages


def test_a_broker_flushed_mid_run_ends_in_the_sync_result(fault_run, reference) -> None:
    # The file arrives while the worker is down, so the queue holds every extraction first
    # and each link task behind them: when the worker stops at the held name, the articles
    # before it are extracted and none of their statements is linked yet.
    fault_run.ingest()
    fault_run.worker(purge=False)
    with new_name_held(name_first_quoted_in(30)):
        wait_until_a_worker_waits()
        assert queued_messages() > 0
        broker_flush()
        assert queued_messages() == 0
        before = pending_counts()
        assert 0 < processed_articles() < len(story.articles())
        assert before["articles"] > 0
        assert before["statements"] > 0
    # The worker finishes the article it was busy with and queues its statements' links
    # into the emptied broker; nothing else is left in Redis to bring the rest back.
    fault_run.recover()
    fault_run.assert_matches(reference)
