"""`benchmark --only alerts`: what alerts add to ingestion, per stored statement.

In one transaction that is rolled back at the end (nothing is kept, nothing is queued): it
adds users, 1,000 saved searches and 9,000 claim and speaker watches (10,000 watches), then
replays what ingestion announces for batches of existing statements, an article's worth at
a time (statements stored, then their suggestions), and times the alerts' receivers: the
saved-search matching, the resurfaced events, and the rows they write.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Callable

from django.contrib.auth.models import Group, User
from django.db import connection, transaction

from alerts.models import Event, Notification, Watch
from alerts.services import events
from alerts.services.watches import search_columns
from claims.filters import LANGUAGE_CHOICES
from claims.models import Claim, Speaker, Stance, Statement, Suggestion
from sources.text import tokenise


class _Rollback(Exception):
    pass


def _document_frequency(sample: list[Statement]) -> Counter:
    return Counter(word for s in sample for word in set(tokenise(s.text)))


def _saved_query(
    rng: random.Random, statement: Statement, frequency: Counter, *, broad: bool | None
) -> str:
    words = [w for w in tokenise(statement.text) if len(w) > 3] or ["claim"]
    # A desk saves searches for something specific: here the statement's two rarest words
    # (generated text has a small vocabulary: one word alone matches thousands). `broad`
    # takes any one word instead: ~35 of the 1,000 searches then match every statement.
    rarest = sorted(set(words), key=lambda w: (frequency[w], w))[:2]
    if broad is None:  # searches that match nothing: the cost of checking alone
        word = f"{rarest[0]} zzq{rng.randrange(10**6)}"
    else:
        word = rng.choice(words) if broad else " ".join(rarest)
    shape = rng.random()
    if shape < 0.4:
        return f"q={word}&language={statement.language}"
    if shape < 0.6:
        return f"speaker={statement.speaker_id}"
    if shape < 0.8:
        return f"q={word}"
    if shape < 0.9:
        language = rng.choice(LANGUAGE_CHOICES)[0]
        return f"language={language}&stance={rng.choice(Stance.values)}"
    return f"outlet={statement.article.source_id}&kind={statement.kind}"


def _watches(
    rng: random.Random, *, users: int, searches: int, watches: int, broad: bool | None = False
) -> None:
    analyst = Group.objects.get(name="Analyst")
    people = User.objects.bulk_create(
        [
            User(username=f"alerts-benchmark-{n}", email=f"alerts-benchmark-{n}@example.org")
            for n in range(users)
        ]
    )
    analyst.user_set.add(*people)
    sample = list(Statement.objects.select_related("article").order_by("?")[: max(searches, 1)])
    frequency = _document_frequency(sample)
    rows = []
    for n in range(searches):
        watch = Watch(
            user=people[n % users],
            kind=Watch.Kind.SEARCH,
            name=f"search {n}",
            query=_saved_query(rng, sample[n % len(sample)], frequency, broad=broad),
            delivery=rng.choice(["immediate", "digest", "in_app"]),
        )
        search_columns(watch)
        rows.append(watch)
    claim_ids = list(Claim.objects.values_list("pk", flat=True)[:50_000])
    speaker_ids = list(Speaker.objects.values_list("pk", flat=True)[:50_000])
    seen = set()
    # A small data set has fewer distinct (user, target) pairs than watches asked for.
    for n in range(watches * 4):
        if len(rows) >= watches:
            break
        user = people[n % users]
        kind = "claim" if rng.random() < 0.6 or not speaker_ids else "speaker"
        target = rng.choice(claim_ids if kind == "claim" else speaker_ids)
        if (user.pk, kind, target) in seen:
            continue
        seen.add((user.pk, kind, target))
        rows.append(
            Watch(
                user=user,
                kind=kind,
                claim_id=target if kind == "claim" else None,
                speaker_id=target if kind == "speaker" else None,
                delivery=rng.choice(["immediate", "digest", "in_app"]),
            )
        )
    Watch.objects.bulk_create(rows)


def alerts_benchmark(
    *,
    runs: int,
    rng: random.Random,
    out: Callable[[str], None],
    searches: int = 1_000,
    watches: int = 10_000,
    batch: int = 5,
    broad: bool | None = False,
) -> list[float]:
    """Milliseconds per stored statement, one figure per batch of `batch` statements."""
    per_statement: list[float] = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            _watches(rng, users=300, searches=searches, watches=watches, broad=broad)
            with connection.cursor() as cursor:
                # Statistics for the new rows, as autovacuum would have them in production.
                cursor.execute(f"ANALYZE {Watch._meta.db_table}")
            out(
                f"  {Watch.objects.filter(kind='search').count():,} saved searches, "
                f"{Watch.objects.count():,} watches ({time.perf_counter() - started:.1f} s to add)"
            )
            ids = list(Statement.objects.values_list("pk", flat=True).order_by("?")[: runs * batch])
            for start in range(0, len(ids), batch):
                chunk = ids[start : start + batch]
                suggestions = list(Suggestion.objects.filter(statement_id__in=chunk))
                for suggestion in suggestions:
                    suggestion.status = Suggestion.Status.PENDING
                began = time.perf_counter()
                with transaction.atomic():
                    events.statements_stored(statement_ids=chunk)
                    events.suggestions_stored(suggestions=suggestions)
                per_statement.append((time.perf_counter() - began) * 1000 / len(chunk))
            out(
                f"  {len(ids):,} statements: events written: {Event.objects.count():,}, "
                f"notifications: {Notification.objects.count():,}"
            )
            raise _Rollback
    except _Rollback:
        pass
    return per_statement


def describe(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return (
        f"per stored statement: median {statistics.median(values):.2f} ms, "
        f"p95 {p95:.2f} ms, max {values[-1]:.2f} ms over {len(values)} batches"
    )
