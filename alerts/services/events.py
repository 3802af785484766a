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

from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from alerts.models import Delivery, Event, Notification, Watch
from alerts.services import permissions, queueing
from alerts.services.searches import saved_searches_matching
from claims.models import ClaimLink, Stance, Statement, Suggestion

OPPOSITE = {Stance.ASSERTS: Stance.DENIES, Stance.DENIES: Stance.ASSERTS}
# Of a user's watches that find one event, the one whose delivery is the most urgent decides.
URGENCY = {Delivery.IMMEDIATE: 0, Delivery.DIGEST: 1, Delivery.IN_APP: 2}


@dataclass
class _Found:
    event: Event
    permissions: tuple[str, ...]
    watches: list[Watch] = field(default_factory=list)


def _claim_watches(claim_ids: Iterable[int]) -> dict[int, list[Watch]]:
    found: dict[int, list[Watch]] = defaultdict(list)
    rows = Watch.objects.filter(kind=Watch.Kind.CLAIM, claim_id__in=set(claim_ids))
    for watch in rows.select_related("user"):
        found[watch.claim_id].append(watch)
    return found


def _speaker_watches(speaker_ids: Iterable[int]) -> dict[int, list[Watch]]:
    found: dict[int, list[Watch]] = defaultdict(list)
    rows = Watch.objects.filter(kind=Watch.Kind.SPEAKER, speaker_id__in=set(speaker_ids))
    for watch in rows.select_related("user"):
        found[watch.speaker_id].append(watch)
    return found


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
    # ON CONFLICT (key) DO UPDATE: PostgreSQL then returns the id of every row, new or found,
    # in the same statement. A second run of a task computes the same values; a suggested
    # resurfacing that an analyst accepts becomes confirmed, with the confirmed stance (its
    # users are not told twice: their notifications stand).
    stored = Event.objects.bulk_create(
        [item.event for item in found],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["stance", "confirmed"],
    )
    ids = {event.key: event.pk for event in stored}
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
    notifications = []
    for item in found:
        event_id = ids[item.event.key]
        by_user: dict[int, Watch] = {}
        for watch in sorted(item.watches, key=lambda w: URGENCY[w.delivery]):
            by_user.setdefault(watch.user_id, watch)
        for watch in by_user.values():
            if watch.user_id not in allowed[item.permissions]:
                continue
            emailed = watch.delivery != Delivery.IN_APP and bool(watch.user.email)
            notifications.append(
                Notification(
                    user_id=watch.user_id,
                    event_id=event_id,
                    watch=watch,
                    delivery=watch.delivery,
                    email=Notification.Email.PENDING if emailed else Notification.Email.NONE,
                )
            )
    # A second run of the same task finds its notifications there already: nothing changes.
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    owed = list(
        Notification.objects.filter(
            event_id__in=ids.values(),
            delivery=Delivery.IMMEDIATE,
            email=Notification.Email.PENDING,
        ).values_list("pk", flat=True)
    )
    queueing.emails_queue(owed)
    return list(ids.values())


def _resurfaced(pairs: Sequence[tuple[Any, str, bool]]) -> list[_Found]:
    """(suggestion or link, stance, confirmed) → a resurfaced event per watched claim."""
    watches = _claim_watches(row.claim_id for row, _, _ in pairs)
    return [
        _Found(
            Event(
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
                Event(
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
            Event(
                kind=Event.Kind.SEARCH,
                key=f"search:{watch.pk}:{statement_id}",
                statement_id=statement_id,
                watch=watch,
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
