"""The fault suite's one ingestion run: the file, its `ingest --sync` reference, worker
processes to run it, the points a scenario stops a worker at, and snapshots of the outcome in
a form two runs can be compared in (speakers by name, claims by external id, no row ids).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import psycopg
from django.core.management import call_command
from django.db import connection, transaction

from claims.models import (
    Claim,
    ClaimLink,
    ClaimVariant,
    MatchingStatus,
    Speaker,
    Statement,
    Suggestion,
)
from claims.services.claim_import import claims_import
from claims.services.extraction.sweeping import articles_requeue_stale
from claims.services.matching_rescan import claim_link_recent
from claims.services.speakers import speaker_alias_add, speaker_lock_key
from claims.services.sweeping import claims_requeue_unsearched, statements_requeue_unmatched
from config.celery import app
from sources.models import Article, IngestionRun
from tests.faults import story
from tests.workers import WorkerProcess, queued_messages, wait_until

# Long enough for a loaded CI machine; a healthy run settles in seconds.
SETTLE_TIMEOUT = 120


@dataclass(frozen=True)
class Snapshot:
    """What a run left, each part a sorted tuple so that a doubled row shows twice."""

    articles: tuple
    statements: tuple
    suggestions: tuple
    speakers: tuple

    def differences(self, reference: Snapshot) -> list[str]:
        """Readable lines for every row this snapshot lacks or has extra, part by part."""
        lines = []
        for part in fields(self):
            mine, theirs = Counter(getattr(self, part.name)), Counter(getattr(reference, part.name))
            missing, extra = theirs - mine, mine - theirs
            if missing or extra:
                lines.append(
                    f"{part.name}: {sum(mine.values())} here, {sum(theirs.values())} in the "
                    f"reference; {sum(missing.values())} missing, {sum(extra.values())} extra"
                )
                lines += [f"  missing {row}" for row in list(missing.elements())[:5]]
                lines += [f"  extra   {row}" for row in list(extra.elements())[:5]]
        return lines


# The `--sync` result of each file, by its text.
_references: dict[str, Snapshot] = {}


def snapshot() -> Snapshot:
    articles = Article.objects.values_list(
        "url",
        "status",
        "attempts",
        "extraction__statements",
        "extraction__unattributed",
        "extraction__runs",
    )
    statements = Statement.objects.values_list(
        "article__url",
        "start",
        "end",
        "text",
        "speaker__name",
        "speaker_role",
        "kind",
        "cue",
        "cue_stance",
        "language",
        "said_on",
        "matching_status",
    )
    phrasings = _phrasing_names()
    suggestions = [
        (url, start, end, claim, score, stance, status, method, _evidence(evidence, phrasings))
        for url, start, end, claim, score, stance, status, method, evidence in (
            Suggestion.objects.values_list(
                "statement__article__url",
                "statement__start",
                "statement__end",
                "claim__external_id",
                "score",
                "suggested_stance",
                "status",
                "method",
                "evidence",
            )
        )
    ]
    speakers = [
        (
            speaker.name,
            speaker.kind,
            speaker.role,
            speaker.is_confirmed,
            tuple(sorted(alias.key for alias in speaker.aliases.all())),
        )
        for speaker in Speaker.objects.prefetch_related("aliases")
    ]
    return Snapshot(
        articles=tuple(sorted(articles)),
        statements=tuple(sorted(statements, key=repr)),
        suggestions=tuple(sorted(suggestions)),
        speakers=tuple(sorted(speakers)),
    )


def _phrasing_names() -> dict[tuple[str, int], str]:
    """Each claim and variant by what stays the same from test to test: not its id."""
    names = {("claim", pk): ext for pk, ext in Claim.objects.values_list("pk", "external_id")}
    for pk, ext, language in ClaimVariant.objects.values_list(
        "pk", "claim__external_id", "language"
    ):
        names["variant", pk] = f"{ext}/{language}"
    return names


def _evidence(evidence: dict, phrasings: dict[tuple[str, int], str]) -> str:
    phrasing = evidence.get("phrasing", {})
    if "id" in phrasing:
        phrasing = {**phrasing, "id": phrasings.get((phrasing["kind"], phrasing["id"]))}
    return json.dumps({**evidence, "phrasing": phrasing}, sort_keys=True, ensure_ascii=False)


class FaultRun:
    """The story's file ingested by real worker processes, set beside its `--sync` result."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = story.write_jsonl(folder / "articles.jsonl", story.articles())
        self.workers: list[WorkerProcess] = []
        self.worker_env = {
            # See the fixture: no auto-confirmation, in the workers as in the test.
            "MATCH_AUTO_CONFIRM_THRESHOLD": "2",
        }

    def prepare(self) -> None:
        """Register the known speakers and import the claims, searched once as a worker would."""
        _register_speakers()
        claims = story.write_jsonl(self.folder / "claims.jsonl", story.claims_file_rows())
        report = claims_import(path=claims)
        for claim_id in report.claim_ids:
            claim_link_recent(claim_id=claim_id)

    def reference(self) -> Snapshot:
        """The file's `ingest --sync` result; the database is then as before the run.

        Computed once per test session: the file, the claims and the speakers are the same
        in every test, and a snapshot names nothing by id.
        """
        if _references.get(self.path.read_text()) is None:
            call_command("ingest", str(self.path), "--sync")
            _references[self.path.read_text()] = snapshot()
            self.wipe()
        return _references[self.path.read_text()]

    def wipe(self) -> None:
        """Remove everything a run wrote; the claims and the registered speakers stay."""
        with transaction.atomic():
            ClaimLink.objects.all().delete()
            Suggestion.objects.all().delete()
            Statement.objects.all().delete()
            Article.objects.all().delete()
            IngestionRun.objects.all().delete()
            Speaker.objects.all().delete()
            _register_speakers()

    def ingest(self) -> None:
        """The file through `ingest`, which queues each article for the workers."""
        call_command("ingest", str(self.path))

    def worker(self, *, purge: bool = True) -> WorkerProcess:
        """A new worker process, started; stopped at the end of the test."""
        return self.workers_start(1, purge=purge)[0]

    def workers_start(self, count: int, *, purge: bool = True) -> list[WorkerProcess]:
        """`count` new worker processes over the one queue, started side by side."""
        if purge:
            app.control.purge()
        started = [WorkerProcess(self.folder) for _ in range(count)]
        self.workers += started
        for worker in started:
            worker.launch(**self.worker_env)
        for worker in started:
            worker.wait_ready()
        return started

    def stop_workers(self) -> None:
        for worker in self.workers:
            worker.stop()

    def worker_errors(self) -> list[str]:
        """Log lines of any worker that reported an error or a traceback."""
        return [
            f"{worker.name}: {line}"
            for worker in self.workers
            for line in worker.log.read_text().splitlines()
            if "Traceback" in line or " ERROR" in line or "CRITICAL" in line
        ]

    def wait_until_settled(self) -> None:
        wait_until(settled, timeout=SETTLE_TIMEOUT, what="every article and statement done")

    def recover(self) -> None:
        """Sweep as beat would, whenever the workers have taken everything queued, until
        every article, statement and claim is done.

        Sweeping only a drained queue keeps the short stale threshold from queueing rows
        that are merely waiting their turn again and again.
        """
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while not settled():
            if time.monotonic() > deadline:
                raise AssertionError(f"not settled after the sweeps: {pending_counts()}")
            wait_until(lambda: queued_messages() == 0, timeout=SETTLE_TIMEOUT, what="a drain")
            if settled():
                break
            swept = articles_requeue_stale() + statements_requeue_unmatched()
            swept += claims_requeue_unsearched()
            if not swept:
                # What is left is being worked on, or newer than the stale threshold.
                time.sleep(0.5)

    def assert_matches(self, reference: Snapshot) -> None:
        differences = snapshot().differences(reference)
        assert not differences, "the run differs from ingest --sync:\n" + "\n".join(differences)
        errors = self.worker_errors()
        assert not errors, "a worker logged errors:\n" + "\n".join(errors[:20])


def settled() -> bool:
    return not any(pending_counts().values())


def pending_counts() -> dict[str, int]:
    return {
        "articles": Article.objects.filter(status=Article.Status.PENDING).count(),
        "statements": Statement.objects.filter(matching_status=MatchingStatus.PENDING).count(),
        "claims": Claim.objects.filter(matching_status=MatchingStatus.PENDING).count(),
    }


def processed_articles() -> int:
    return Article.objects.filter(status=Article.Status.PROCESSED).count()


def matched_statements() -> int:
    return Statement.objects.filter(matching_status=MatchingStatus.DONE).count()


@contextlib.contextmanager
def new_name_held(name: str) -> Iterator[None]:
    """Hold the lock a worker takes to create the speaker for `name`: the first extraction
    that quotes the name stops inside its transaction, article taken, until released."""
    key = speaker_lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [key])


@contextlib.contextmanager
def suggestion_held(*, url: str, start: int, claim: str) -> Iterator[None]:
    """Insert the suggestion of `claim` for the statement at `start` in the article at `url`
    in a transaction left open, as a claim's search of recent statements would while it
    runs: the link task of that statement stops at the insert of its own suggestions (the
    pair is unique), the statement marked done in its uncommitted transaction. On release
    the row is rolled back.

    Waits for the statement to be extracted first: from a connection of its own, because in
    this test's connection the open transaction would also hold back everything the test
    commits and queues meanwhile.
    """
    wait_until(
        lambda: Statement.objects.filter(article__url=url, start=start).exists(),
        timeout=SETTLE_TIMEOUT,
        what=f"the statement at {start} in {url}",
    )
    statement_id = Statement.objects.get(article__url=url, start=start).pk
    claim_id = Claim.objects.get(external_id=claim).pk
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute(
            f"INSERT INTO {Suggestion._meta.db_table} (statement_id, claim_id, score, method, "
            "evidence, suggested_stance, status, reject_reason, created_at) "
            "VALUES (%s, %s, 0, 'claim search', '{}', '', 'pending', '', now())",
            [statement_id, claim_id],
        )
        yield
        other.rollback()


def wait_until_a_worker_waits() -> None:
    """Until a database session (a worker's) waits on a lock this test holds."""

    def waiting() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            return cursor.fetchone()[0] > 0

    wait_until(waiting, timeout=SETTLE_TIMEOUT, what="a worker to wait on the held lock")


def suggestion_in_the_middle(reference: Snapshot) -> tuple[str, int, str]:
    """(article url, statement start, claim) of the middle suggestion of the run in the
    order of the file, which is the order the statements are linked in when the whole
    file is queued before a worker starts."""
    urls = [row["url"] for row in story.articles()]
    ordered = sorted(reference.suggestions, key=lambda row: (urls.index(row[0]), row[1]))
    url, start, _, claim, *_ = ordered[len(ordered) // 2]
    return url, start, claim


def name_first_quoted_in(position: int) -> str:
    """A new name first quoted in the article at `position` in the file."""
    rows = story.articles()
    names = [name for people in story.NEW_SPEAKERS.values() for name, _ in people]
    earlier = " ".join(row["body"] for row in rows[:position])
    for name in names:
        if name in rows[position]["body"] and name not in earlier:
            return name
    raise AssertionError(f"no new name is first quoted in article {position}")


def _register_speakers() -> None:
    for name, aliases in story.REGISTERED:
        speaker = Speaker.objects.create(name=name, is_confirmed=True)
        for alias in aliases:
            speaker_alias_add(speaker=speaker, name=alias)
