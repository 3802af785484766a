"""Two worker processes over the same queue, racing to create the same fifty new speakers:
each is created once, and the run ends in the `--sync` result."""

from __future__ import annotations

from collections import Counter

from claims.models import Speaker
from tests.faults.harness import settled


def test_two_workers_create_each_new_speaker_once_and_end_in_the_sync_result(
    fault_run, reference
) -> None:
    workers = fault_run.workers_start(2)
    fault_run.ingest()
    fault_run.wait_until_settled()
    # Nothing was lost: the sweep after the run finds nothing to queue.
    fault_run.recover()
    assert settled()
    fault_run.assert_matches(reference)
    names = Counter(Speaker.objects.values_list("name", flat=True))
    assert [name for name, count in names.items() if count > 1] == []
    for worker in workers:
        assert "extract_statements" in worker.log.read_text(), f"{worker.name} took no article"
