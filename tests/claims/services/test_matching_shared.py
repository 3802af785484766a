"""The saved claim index: shared by worker processes, added to without a build, replaced
whole or not at all."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import bm25s
import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from claims.models import (
    Claim,
    ClaimVariant,
    MatchingStatus,
    SpeakerAlias,
    Statement,
    Suggestion,
)
from claims.services import queueing
from claims.services.matching import statement_match
from claims.services.matching_index import match_index
from claims.services.matching_shared import (
    SharedIndex,
    current_path,
    index_state,
    shared_index_build,
    shared_index_compute,
    shared_index_load,
    shared_index_refresh,
    shared_index_staleness,
    snapshot_rows,
)
from claims.services.matching_terms import BM25_B, BM25_K1
from claims.services.speakers import SpeakerIndex
from config.celery import app
from tests.factories import ClaimFactory, SpeakerAliasFactory, StatementFactory
from tests.workers import WorkerProcess, database_url_for_tests, wait_until

_reports = itertools.count()
BRIDGE = "The harbour bridge will close for repairs in spring"
REPORT = "The harbour bridge will close for repairs this spring, the mayor said"
FERRY = "The night ferry to the islands returns after twelve years"
FERRY_REPORT = "After twelve years the night ferry to the islands returns, officials said"


@pytest.fixture
def index_dir(settings, tmp_path) -> Path:
    settings.MATCH_INDEX_DIR = tmp_path / "matching-index"
    return settings.MATCH_INDEX_DIR


def _filler(count: int) -> None:
    words = [
        "river",
        "budget",
        "school",
        "tariff",
        "vaccine",
        "border",
        "election",
        "harvest",
        "pension",
        "court",
    ]
    Claim.objects.bulk_create(
        Claim(text=" ".join(words[(n + k * 3) % len(words)] for k in range(6)) + f" n{n}")
        for n in range(count)
    )


def _workers(tmp_path: Path, index_dir: Path, count: int) -> list[WorkerProcess]:
    workers = [WorkerProcess(tmp_path, queue=f"index-test-{n}") for n in range(count)]
    app.control.purge()
    for worker in workers:
        worker.launch(CLAIMLEDGER_MATCH_INDEX_DIR=str(index_dir))
    for worker in workers:
        worker.wait_ready()
    return workers


def _said(text: str) -> Statement:
    # Each its own article: two articles with the same body are one article.
    return StatementFactory(text=text, prefix=f"Report {next(_reports)}: ")


def _link_on(worker: WorkerProcess, statement: Statement) -> None:
    app.send_task(queueing.LINK_STATEMENT, args=(statement.pk,), queue=worker.queue)


def _suggested(statement: Statement, claim: Claim) -> bool:
    return Suggestion.objects.filter(statement=statement, claim=claim).exists()


def _build_process(index_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "build_matching_index"],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "CLAIMLEDGER_MATCH_INDEX_DIR": str(index_dir),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_the_saved_scores_are_the_scores_bm25s_computes() -> None:
    texts = [BRIDGE, REPORT, FERRY, "bridge bridge bridge repairs", "islands ferry"]
    rows = [(n + 1, 0, n + 1, "en", text) for n, text in enumerate(texts)]
    index = shared_index_compute(rows=rows, aliases=SpeakerIndex([]), token="t", xmin=1)
    reference = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    reference.index(
        [
            list(index.terms[i] for i in index.term_ids[s:e])
            for s, e in zip(index.phrasing_terms[:-1], index.phrasing_terms[1:], strict=True)
        ],
        show_progress=False,
    )

    for query in (["bridg", "repair"], ["ferri"], ["island", "bridg", "spring"]):
        np.testing.assert_allclose(index.scores(query), reference.get_scores(query), rtol=1e-5)


def test_two_workers_find_a_claim_a_third_process_added_without_a_build(
    transactional_db, index_dir, tmp_path
) -> None:
    ClaimFactory(text=BRIDGE)
    shared_index_build()
    built = current_path(index_state()[0])
    workers = _workers(tmp_path, index_dir, 2)
    try:
        # Both workers have mapped the build before the claim exists.
        warmup = [_said(REPORT) for _ in workers]
        for worker, statement in zip(workers, warmup, strict=True):
            _link_on(worker, statement)
        wait_until(lambda: all(_suggested(s, Claim.objects.get(text=BRIDGE)) for s in warmup))

        ferry = Claim.objects.create(text=FERRY, language="en")  # this process is the third
        statements = [_said(FERRY_REPORT) for _ in workers]
        for worker, statement in zip(workers, statements, strict=True):
            _link_on(worker, statement)

        wait_until(lambda: all(_suggested(s, ferry) for s in statements), timeout=30)
        assert current_path(index_state()[0]) == built  # found through the delta
    finally:
        for worker in workers:
            worker.stop()
    for worker in workers:
        assert "Traceback" not in worker.log.read_text()


def test_workers_keep_linking_while_the_index_is_rebuilt(
    transactional_db, index_dir, tmp_path
) -> None:
    _filler(30_000)
    bridge = ClaimFactory(text=BRIDGE)
    shared_index_build()
    before = current_path(index_state()[0])
    ferry = ClaimFactory(text=FERRY)  # in the delta of the old build, in the new build
    workers = _workers(tmp_path, index_dir, 2)
    try:
        build = _build_process(index_dir)
        statements = []
        while build.poll() is None or len(statements) < 4:
            for worker in workers:
                statement = _said(REPORT if len(statements) % 2 else FERRY_REPORT)
                statements.append(statement)
                _link_on(worker, statement)
            time.sleep(0.1)
        assert build.returncode == 0

        wait_until(
            lambda: not Statement.objects.filter(matching_status=MatchingStatus.PENDING).exists(),
            timeout=60,
        )
        for n, statement in enumerate(statements):
            assert _suggested(statement, bridge if n % 2 else ferry)
        assert current_path(index_state()[0]) != before
    finally:
        for worker in workers:
            worker.stop()
    for worker in workers:
        assert "Traceback" not in worker.log.read_text()


def test_a_build_killed_half_way_leaves_the_old_one_serving(
    transactional_db, index_dir, tmp_path
) -> None:
    _filler(30_000)
    shared_index_build()
    token = index_state()[0]
    before = current_path(token)
    bridge = ClaimFactory(text=BRIDGE)
    build = _build_process(index_dir)
    deadline = time.monotonic() + 60
    # Kill it once it writes its folder, or while it still reads and analyses the claims.
    while (
        build.poll() is None
        and not list((index_dir / token).glob(".building-*"))
        and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait(10)

    assert build.returncode == -signal.SIGKILL
    assert current_path(token) == before
    workers = _workers(tmp_path, index_dir, 1)
    try:
        statement = _said(REPORT)
        _link_on(workers[0], statement)
        wait_until(lambda: _suggested(statement, bridge), timeout=30)
    finally:
        workers[0].stop()

    shared_index_build()  # the next build clears the killed one's leftovers
    assert not list((index_dir / token).glob(".building-*"))


@pytest.mark.django_db(transaction=True)
def test_an_edited_or_deleted_claim_is_matched_by_its_current_wording(index_dir) -> None:
    ferry = ClaimFactory(text=FERRY)
    bridge = ClaimFactory(text="Tram fares double next month")
    variant = ClaimVariant.objects.create(claim=bridge, text=BRIDGE, language="en")
    shared_index_build()
    statement = _said(REPORT)
    assert bridge.pk in {m.claim_id for m in statement_match(statement=statement)}

    variant.delete()
    assert bridge.pk not in {m.claim_id for m in statement_match(statement=statement)}

    ferry.text = BRIDGE
    ferry.save()
    assert [m.claim_id for m in statement_match(statement=statement)][:1] == [ferry.pk]

    ferry.delete()
    assert ferry.pk not in {m.claim_id for m in statement_match(statement=statement)}
    assert match_index().main.name == current_path(index_state()[0]).name


@pytest.mark.django_db(transaction=True)
def test_a_refresh_builds_only_when_there_is_no_build_or_enough_changed(
    index_dir, settings
) -> None:
    settings.MATCH_DELTA_MAX = 2
    ClaimFactory(text=BRIDGE)

    assert shared_index_refresh().path is not None
    assert shared_index_refresh().skipped == "up to date"
    ClaimFactory(text=FERRY)
    assert shared_index_refresh().skipped == "up to date"
    ClaimFactory(text=REPORT)
    assert shared_index_refresh().path is not None


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_that_reuses_the_last_analysis_equals_one_from_scratch(index_dir, caplog) -> None:
    ferry = ClaimFactory(text=FERRY)
    tram = ClaimFactory(text="Tram fares double next month")
    kept = ClaimVariant.objects.create(claim=tram, text="Tram tickets will cost twice as much")
    gone = ClaimVariant.objects.create(claim=ferry, text="The ferry comes back")
    shared_index_build()
    ClaimFactory(text=BRIDGE)
    gone.delete()
    tram.text = "Tram and bus fares double next month"
    tram.save()

    reused = shared_index_build()
    built = shared_index_load(reused.path)
    from_scratch = shared_index_compute(
        rows=snapshot_rows()[2], aliases=SpeakerIndex([]), token="t", xmin=0
    )

    assert built.doc_claims.tolist() == from_scratch.doc_claims.tolist()
    for claim in Claim.objects.all():
        assert [
            (k, pk, {built.terms[i] for i in ids}) for k, pk, _, ids in built.phrasings(claim.pk)
        ] == [
            (k, pk, {from_scratch.terms[i] for i in ids})
            for k, pk, _, ids in from_scratch.phrasings(claim.pk)
        ]
    for query in (["tram", "fare"], ["ferri", "back"], ["bridg"]):
        np.testing.assert_allclose(built.scores(query), from_scratch.scores(query), rtol=1e-5)
    assert kept.pk in {pk for _, pk, _, _ in built.phrasings(tram.pk)}
    assert "analysing every claim again" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_analyses_only_what_changed_unless_asked_to_start_from_scratch(
    index_dir,
) -> None:
    ClaimFactory(text=FERRY)
    ClaimFactory(text=BRIDGE)
    assert shared_index_build().analysed == 2
    ClaimFactory(text=REPORT)

    assert shared_index_build().analysed == 1
    out = StringIO()
    call_command("build_matching_index", "--from-scratch", stdout=out)
    assert "3 claims (3 documents, 3 phrasings analysed)" in out.getvalue()
    with pytest.raises(CommandError, match="choose one"):
        call_command("build_matching_index", "--from-scratch", "--if-stale")


@pytest.mark.django_db(transaction=True)
def test_a_build_analysed_on_every_core_equals_one_analysed_in_one_process(monkeypatch) -> None:
    SpeakerAliasFactory(name="Hikmet Hajiyev")
    SpeakerAliasFactory(name="Мустафаев", language="ru")
    _filler(40)
    ClaimFactory(text="Hikmet Hajiyev said the #AirspaceClosed reports were false")
    ClaimFactory(text="Слухи опроверг Мустафаеву близкий источник", language="ru")
    ClaimFactory(text="آذربائیجان اپنی سرزمین استعمال نہیں ہونے دے گا", language="ur")
    rows = snapshot_rows()[2]
    aliases = SpeakerIndex(SpeakerAlias.objects.values_list("speaker_id", "name"))

    def built(chunk: int) -> SharedIndex:
        monkeypatch.setattr("claims.services.matching_shared._CHUNK", chunk)
        return shared_index_compute(rows=rows, aliases=aliases, token="t", xmin=1)

    pooled, alone = built(3), built(20_000)

    assert list(pooled.vocabulary.items()) == list(alone.vocabulary.items())
    for name in ("term_ids", "phrasing_terms", "doc_claims", "subject_ptr", "subject_ids"):
        assert np.array_equal(getattr(pooled, name), getattr(alone, name)), name
    assert len(alone.subject_ids) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chunk", [1, 20_000], ids=["on every core", "in one process"])
def test_a_build_finds_the_speakers_each_claim_names(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # One text per chunk makes the build analyse on a pool of processes, as at scale.
    monkeypatch.setattr("claims.services.matching_shared._CHUNK", chunk)
    hikmet = SpeakerAliasFactory(name="Hikmet Hajiyev").speaker
    mustafayev = SpeakerAliasFactory(name="Мустафаев", language="ru").speaker
    SpeakerAliasFactory(speaker=mustafayev, name="مصطفیٰ یوف", language="ur")
    named = ClaimFactory(text="Hikmet Hajiyev said the airspace was never opened to #IsraelStrikes")
    declined = ClaimFactory(text="Слухи опроверг Мустафаеву близкий источник", language="ru")
    urdu = ClaimFactory(text="مصطفی یوف نے کہا کہ زمین استعمال نہیں ہوگی", language="ur")
    nobody = ClaimFactory(text=FERRY)

    built = shared_index_load(shared_index_build().path)

    assert built.subjects(named.pk) == {hikmet.pk}
    assert built.subjects(declined.pk) == {mustafayev.pk}
    assert built.subjects(urdu.pk) == {mustafayev.pk}
    assert built.subjects(nobody.pk) == set()
    assert "hajiyev" in {built.terms[i] for _, _, _, ids in built.phrasings(named.pk) for i in ids}


@pytest.mark.django_db(transaction=True)
def test_builds_with_nothing_written_between_keep_the_newest_serving(index_dir) -> None:
    ClaimFactory(text=BRIDGE)
    builds = [shared_index_build().path for _ in range(4)]

    assert current_path(index_state()[0]) == builds[-1]
    assert sorted(p for p in builds[-1].parent.iterdir() if not p.is_symlink()) == sorted(
        builds[-2:]
    )
    assert shared_index_load(builds[-1]).claim_ids.tolist() == list(
        Claim.objects.values_list("id", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_build_of_the_previous_format_serves_until_the_next_build(index_dir) -> None:
    ClaimFactory(text=FERRY)
    tram = ClaimFactory(text="Tram fares double next month")
    ClaimVariant.objects.create(claim=tram, text="ٹرام کا کرایہ دگنا ہو جائے گا", language="ur")
    ClaimVariant.objects.create(claim=tram, text="Tram tickets cost twice as much", language="en")
    path = shared_index_build().path
    built = shared_index_load(path)
    meta = json.loads((path / "meta.json").read_text())
    meta["format"] = 1
    del meta["bases"]
    (path / "meta.json").write_text(json.dumps(meta))
    (path / "doc_bases.npy").unlink()

    older = shared_index_load(path)

    assert [older.bases[b] for b in older.doc_bases] == [built.bases[b] for b in built.doc_bases]
    assert "index format 1" in shared_index_staleness()
    assert match_index().main.name == path.name
