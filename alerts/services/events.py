"""Events, computed once, when claims stores the data, in the same transaction.

claims sends `statements_stored`, `suggestions_stored` and `links_confirmed` (claims/signals.py)
inside the transactions that store statements, suggestions and links; alerts/receivers.py
calls the functions here. Each looks only at the rows just stored (never the whole
database), writes an Event per (kind, target, statement) whose unique key makes a second run
of the same task write nothing, and a Notification per user who watches it and may see it
(unique per user and event). Immediate e-mails are queued once the transaction commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from alerts.models import Delivery, Event, Notification, Watch
from alerts.services import permissions, queueing
from alerts.services.searches import Watcher, saved_searches_matching
from claims.models import ClaimLink, Stance, Statement, Suggestion

OPPOSITE = {Stance.ASSERTS: Stance.DENIES, Stance.DENIES: Stance.ASSERTS}
# Of a user's watches that find one event, the one whose delivery is the most urgent decides.
URGENCY = {Delivery.IMMEDIATE: 0, Delivery.DIGEST: 1, Delivery.IN_APP: 2}


@dataclass
class _Event:
    """An Event's columns, as plain values: no model instance per row."""

    kind: str
    key: str
    statement_id: int
    claim_id: int | None = None
    watch_id: int | None = None
    stance: str = ""
    previous_stance: str = ""
    previous_statement_id: int | None = None
    confirmed: bool = False


@dataclass
class _Found:
    event: _Event
    permissions: tuple[str, ...]
    watches: list[Watcher] = field(default_factory=list)


def _watchers(kind: str, target_ids: Iterable[int]) -> dict[int, list[Watcher]]:
    found: dict[int, list[Watcher]] = defaultdict(list)
    column = connection.ops.quote_name(Watch._meta.get_field(kind).column)
    # Plain SQL: every link asks this. A link's watch lookup took 1.9 ms through the ORM here,
    # 0.6 ms so (mean of 150 links; README, "Claim linking at scale").
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, user_id, delivery, {column} FROM {_table(Watch)} "
            f"WHERE kind = %s AND {column} = ANY(%s)",
            [kind, list(set(target_ids))],
        )
        for pk, user_id, delivery, target in cursor.fetchall():
            found[target].append(Watcher(pk, user_id, delivery))
    return found


def _claim_watches(claim_ids: Iterable[int]) -> dict[int, list[Watcher]]:
    return _watchers(Watch.Kind.CLAIM, claim_ids)


def _speaker_watches(speaker_ids: Iterable[int]) -> dict[int, list[Watcher]]:
    return _watchers(Watch.Kind.SPEAKER, speaker_ids)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# One statement writes a batch's events and fans their notifications out, from arrays.
# ON CONFLICT (key) DO UPDATE: PostgreSQL then returns the id of every event, new or found,
# in the same statement. A second run of a task computes the same values; a suggested
# resurfacing that an analyst accepts becomes confirmed, with the confirmed stance (its users
# are not told twice: their notifications stand, ON CONFLICT DO NOTHING). The e-mails owed
# are the new immediate notifications plus those of the same events still pending from an
# earlier run (the last branch reads the table as it was before this statement; = ANY(ARRAY)
# probes the event index, where IN (SELECT) let the planner scan every e-mail owed).
def _store_sql() -> str:
    # Built when called: the user model is only known once the apps are loaded.
    return f"""
WITH events AS (
    INSERT INTO {_table(Event)} (
        kind, key, statement_id, claim_id, watch_id, stance, previous_stance,
        previous_statement_id, confirmed, created_at
    )
    SELECT e.*, %(now)s FROM unnest(
        %(kind)s::varchar[], %(key)s::varchar[], %(statement)s::bigint[], %(claim)s::bigint[],
        %(watch)s::bigint[], %(stance)s::varchar[], %(previous_stance)s::varchar[],
        %(previous_statement)s::bigint[], %(confirmed)s::boolean[]
    ) AS e
    ON CONFLICT (key) DO UPDATE SET stance = EXCLUDED.stance, confirmed = EXCLUDED.confirmed
    RETURNING id, key
), added AS (
    INSERT INTO {_table(Notification)} (
        user_id, event_id, watch_id, delivery, email, email_queued_at, created_at
    )
    SELECT n.user_id, events.id, n.watch_id, n.delivery,
        CASE WHEN n.delivery <> %(in_app)s AND u.email <> '' THEN %(pending)s ELSE %(none)s END,
        %(now)s, %(now)s
    FROM unnest(
        %(n_key)s::varchar[], %(n_user)s::bigint[], %(n_watch)s::bigint[], %(n_delivery)s::varchar[]
    ) AS n(key, user_id, watch_id, delivery)
    JOIN events ON events.key = n.key
    JOIN {_table(get_user_model())} u ON u.id = n.user_id
    ON CONFLICT DO NOTHING
    RETURNING id, delivery, email
)
SELECT id, false FROM events
UNION ALL
SELECT id, true FROM added WHERE delivery = %(immediate)s AND email = %(pending)s
UNION ALL
SELECT id, true FROM {_table(Notification)}
WHERE event_id = ANY(ARRAY(SELECT id FROM events))
  AND delivery = %(immediate)s AND email = %(pending)s
"""


_ARRAYS = (
    *("kind", "key", "statement", "claim", "watch", "stance", "previous_stance"),
    *("previous_statement", "confirmed", "n_key", "n_user", "n_watch", "n_delivery"),
)


def _store(found: Sequence[_Found]) -> list[int]:
    """Write the events and their notifications (each once); queue the immediate e-mails."""
    by_key: dict[str, _Found] = {}
    for item in found:
        if item.event.key in by_key:  # one INSERT may not touch a row twice: merge them
            by_key[item.event.key].watches += item.watches
        elif item.watches:
            by_key[item.event.key] = item
    found = list(by_key.values())
    if not found:
        return []
    # One query per set of permissions for every user involved, not two per user; an empty
    # set means the caller has checked already (saved searches).
    allowed = {
        perms: permissions.permitted(
            {w.user_id for item in found if item.permissions == perms for w in item.watches},
            perms,
        )
        if perms
        else {w.user_id for item in found if not item.permissions for w in item.watches}
        for perms in {item.permissions for item in found}
    }
    columns: dict[str, list] = defaultdict(list)
    for item in found:
        event = item.event
        columns["kind"].append(event.kind)
        columns["key"].append(event.key)
        columns["statement"].append(event.statement_id)
        columns["claim"].append(event.claim_id)
        columns["watch"].append(event.watch_id)
        columns["stance"].append(event.stance)
        columns["previous_stance"].append(event.previous_stance)
        columns["previous_statement"].append(event.previous_statement_id)
        columns["confirmed"].append(event.confirmed)
        by_user: dict[int, Watcher] = {}
        for watch in sorted(item.watches, key=lambda w: URGENCY[w.delivery]):
            by_user.setdefault(watch.user_id, watch)
        permitted = allowed[item.permissions]
        for watch in by_user.values():
            if watch.user_id not in permitted:
                continue
            columns["n_key"].append(event.key)
            columns["n_user"].append(watch.user_id)
            columns["n_watch"].append(watch.pk)
            columns["n_delivery"].append(watch.delivery)
    event_ids: list[int] = []
    owed: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute(
            _store_sql(),
            {
                **{name: columns[name] for name in _ARRAYS},
                "now": timezone.now(),
                "in_app": Delivery.IN_APP,
                "immediate": Delivery.IMMEDIATE,
                "pending": Notification.Email.PENDING,
                "none": Notification.Email.NONE,
            },
        )
        for pk, is_notification in cursor.fetchall():
            if is_notification:
                owed.add(pk)
            else:
                event_ids.append(pk)
    # Queued once the transaction commits.
    queueing.emails_queue(sorted(owed))
    return event_ids


def _resurfaced(pairs: Sequence[tuple[Any, str, bool]]) -> list[_Found]:
    """(suggestion or link, stance, confirmed) → a resurfaced event per watched claim."""
    watches = _claim_watches(row.claim_id for row, _, _ in pairs)
    return [
        _Found(
            _Event(
                kind=Event.Kind.RESURFACED,
                key=f"resurfaced:{row.claim_id}:{row.statement_id}",
                statement_id=row.statement_id,
                claim_id=row.claim_id,
                stance=stance,
                confirmed=confirmed,
            ),
            permissions.RESURFACED_LINKED if confirmed else permissions.RESURFACED_SUGGESTED,
            watches.get(row.claim_id, []),
        )
        for row, stance, confirmed in pairs
        if row.claim_id in watches
    ]


def suggestions_stored(*, suggestions: Sequence[Suggestion]) -> list[int]:
    """Claims resurfaced by the matcher's new suggestions (auto-confirmed ones are linked
    in the same transaction: `links_confirmed` reports those, as confirmed)."""
    pending = [s for s in suggestions if s.status == Suggestion.Status.PENDING]
    return _store(_resurfaced([(s, s.suggested_stance, False) for s in pending]))


def _previous_stance(link: ClaimLink, statement: Statement) -> ClaimLink | None:
    """The speaker's confirmed assert or deny on the link's claim said just before it."""
    day = Coalesce(F("statement__said_on"), TruncDate(F("statement__created_at")))
    this_day = statement.said_on or timezone.localdate(statement.created_at)
    return (
        ClaimLink.objects.filter(
            claim_id=link.claim_id,
            statement__speaker_id=statement.speaker_id,
            stance__in=list(OPPOSITE),
        )
        .exclude(statement_id=statement.pk)
        .annotate(day=day)
        .filter(Q(day__lt=this_day) | Q(day=this_day, statement_id__lt=statement.pk))
        .order_by("-day", "-statement_id")
        .first()
    )


def _reversals(links: Sequence[ClaimLink], statements: dict[int, Statement]) -> list[_Found]:
    candidates = [link for link in links if link.stance in OPPOSITE]
    if not candidates:
        return []
    claim_watches = _claim_watches(link.claim_id for link in candidates)
    speaker_watches = _speaker_watches(
        statements[link.statement_id].speaker_id for link in candidates
    )
    found = []
    for link in candidates:
        statement = statements[link.statement_id]
        watches = claim_watches.get(link.claim_id, []) + speaker_watches.get(
            statement.speaker_id, []
        )
        if not watches:
            continue  # nobody to tell: no need to look at the speaker's past
        previous = _previous_stance(link, statement)
        if previous is None or previous.stance != OPPOSITE[link.stance]:
            continue
        found.append(
            _Found(
                _Event(
                    kind=Event.Kind.REVERSAL,
                    key=f"reversal:{link.claim_id}:{link.statement_id}",
                    statement_id=link.statement_id,
                    claim_id=link.claim_id,
                    stance=link.stance,
                    previous_stance=previous.stance,
                    previous_statement_id=previous.statement_id,
                    confirmed=True,
                ),
                permissions.REVERSAL,
                watches,
            )
        )
    return found


def _search_matches(statement_ids: list[int], *, links: bool) -> list[_Found]:
    return [
        _Found(
            _Event(
                kind=Event.Kind.SEARCH,
                key=f"search:{watch.pk}:{statement_id}",
                statement_id=statement_id,
                watch_id=watch.pk,
                confirmed=links,
            ),
            (),  # saved_searches_matching keeps only users who may search
            [watch],
        )
        for watch, statement_id in saved_searches_matching(statement_ids, links=links)
    ]


def links_confirmed(*, links: Sequence[ClaimLink]) -> list[int]:
    """Claims resurfaced by confirmed links, speakers' reversals, and saved searches whose
    claim or stance filter a confirmed link now satisfies."""
    if not links:
        return []
    statements = Statement.objects.in_bulk({link.statement_id for link in links})
    found = _resurfaced([(link, link.stance, True) for link in links])
    found += _reversals(links, statements)
    found += _search_matches(sorted(statements), links=True)
    return _store(found)


def statements_stored(*, statement_ids: Sequence[int]) -> list[int]:
    """Saved searches matched by newly stored statements."""
    return _store(_search_matches(list(statement_ids), links=False))
