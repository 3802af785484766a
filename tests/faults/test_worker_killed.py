"""A worker SIGKILLed mid-run: a new worker and the sweeper end in the `--sync` result."""

from __future__ import annotations

from tests.faults import story
from tests.faults.harness import (
    matched_statements,
    name_first_quoted_in,
    new_name_held,
    pending_counts,
    processed_articles,
    suggestion_held,
    suggestion_in_the_middle,
    wait_until_a_worker_waits,
)


def test_a_worker_killed_mid_extraction_ends_in_the_sync_result(fault_run, reference) -> None:
    worker = fault_run.worker()
    # The worker stops inside the extraction of the article that first quotes this name.
    with new_name_held(name_first_quoted_in(25)):
        fault_run.ingest()
        wait_until_a_worker_waits()
        assert 0 < processed_articles() < len(story.articles())
        worker.kill()
    # The rest of the queue is still in Redis for the replacement; the killed worker's own
    # article is pending, its message unacknowledged: only the sweeper brings it back.
    fault_run.worker(purge=False)
    fault_run.recover()
    fault_run.assert_matches(reference)


def test_a_worker_killed_mid_linking_ends_in_the_sync_result(fault_run, reference) -> None:
    # The file arrives while the worker is down, so the queue holds every extraction first,
    # then the link tasks in file order: the held pair stops linking half-way.
    fault_run.ingest()
    worker = fault_run.worker(purge=False)
    url, start, claim = suggestion_in_the_middle(reference)
    with suggestion_held(url=url, start=start, claim=claim):
        wait_until_a_worker_waits()
        assert processed_articles() == len(story.articles())
        assert matched_statements() > 0
        assert pending_counts()["statements"] > 0
        worker.kill()
    # The replacement takes the link tasks still queued; the killed worker's statement is
    # pending again (its transaction died with it), its message unacknowledged: only the
    # sweeper brings it back.
    fault_run.worker(purge=False)
    fault_run.recover()
    fault_run.assert_matches(reference)
