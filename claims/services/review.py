"""Analysts' decisions on suggestions: accept (a confirmed link) or reject (never again).

Each decision takes the suggestion's row with a conditional UPDATE … WHERE status = 'pending';
of two analysts deciding at once, exactly one changes the row and the other is told who
was first. The link, the decision and their history entries are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.models import ClaimLink, Stance, Suggestion
from claims.signals import links_confirmed, suggestion_accepted

# The change reason on a decision's history rows: one suggestion at a time, or a bulk action.
REVIEW = "review"
BULK_REVIEW = "bulk review"


class ReviewError(Exception):
    """A decision cannot be recorded; the message names the suggestion and the reason."""


@dataclass(frozen=True)
class BulkResult:
    decided: int
    skipped: int  # already decided by someone else meanwhile


def _take(
    suggestion_id: int,
    status: str,
    user: AbstractBaseUser,
    *,
    change_reason: str,
    reject_reason: str = "",
) -> Suggestion:
    """Take the row for this decision if it is still pending; else say who decided first."""
    taken = Suggestion.objects.filter(pk=suggestion_id, status=Suggestion.Status.PENDING).update(
        status=status, reviewed_by=user, reviewed_at=timezone.now(), reject_reason=reject_reason
    )
    suggestion = (
        Suggestion.objects.select_related("reviewed_by", "statement", "claim")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise ReviewError(f"suggestion #{suggestion_id} does not exist")
    if taken != 1:
        who = suggestion.reviewed_by.get_username() if suggestion.reviewed_by else "someone"
        when = timezone.localtime(suggestion.reviewed_at).strftime("%Y-%m-%d %H:%M")
        raise ReviewError(
            f"suggestion #{suggestion_id} was already {suggestion.get_status_display().lower()} "
            f"by {who} at {when}; nothing was changed"
        )
    # A conditional UPDATE sends no signals: write the history entry of the row it changed
    # ourselves, in the caller's transaction; a lost race raised above and writes none.
    Suggestion.history.bulk_history_create(
        [suggestion],
        update=True,
        default_user=user,
        default_change_reason=change_reason,
        default_date=suggestion.reviewed_at,
    )
    return suggestion


def _link(
    suggestion: Suggestion, stance: str, user: AbstractBaseUser, *, change_reason: str
) -> ClaimLink:
    link = ClaimLink.objects.filter(statement=suggestion.statement, claim=suggestion.claim).first()
    if link is not None:
        return link  # confirmed earlier by hand: that link and its stance stand
    link = ClaimLink(
        statement=suggestion.statement,
        claim=suggestion.claim,
        stance=stance,
        origin=ClaimLink.Origin.REVIEW,
        suggestion=suggestion,
        confirmed_by=user,
    )
    link._history_user = user  # outside a request too (bulk actions, shell), history knows who
    link._change_reason = change_reason
    link.save()
    links_confirmed.send(sender=ClaimLink, links=[link])
    return link


def suggestion_accept(
    *, suggestion_id: int, user: AbstractBaseUser, stance: str | None = None
) -> ClaimLink:
    """Accept a pending suggestion, with the suggested stance or the analyst's own."""
    if stance is not None and stance not in Stance.values:
        raise ReviewError(f"unknown stance {stance!r}; use one of {', '.join(Stance.values)}")
    with transaction.atomic():
        suggestion = _take(suggestion_id, Suggestion.Status.ACCEPTED, user, change_reason=REVIEW)
        link = _link(suggestion, stance or suggestion.suggested_stance, user, change_reason=REVIEW)
        suggestion_accepted.send(sender=Suggestion, suggestion=suggestion, link=link, user=user)
        return link


def suggestion_reject(
    *, suggestion_id: int, user: AbstractBaseUser, reason: str = ""
) -> Suggestion:
    """Reject a pending suggestion; the pair is never suggested again."""
    with transaction.atomic():
        return _take(
            suggestion_id,
            Suggestion.Status.REJECTED,
            user,
            change_reason=REVIEW,
            reject_reason=reason.strip(),
        )


def suggestions_accept(*, suggestion_ids: Iterable[int], user: AbstractBaseUser) -> BulkResult:
    """Accept each pending suggestion with its suggested stance; skip those decided already."""
    decided = skipped = 0
    with transaction.atomic():
        for suggestion_id in suggestion_ids:
            try:
                suggestion = _take(
                    suggestion_id, Suggestion.Status.ACCEPTED, user, change_reason=BULK_REVIEW
                )
            except ReviewError:
                skipped += 1
                continue
            link = _link(suggestion, suggestion.suggested_stance, user, change_reason=BULK_REVIEW)
            suggestion_accepted.send(sender=Suggestion, suggestion=suggestion, link=link, user=user)
            decided += 1
    return BulkResult(decided, skipped)


def suggestions_reject(
    *, suggestion_ids: Iterable[int], user: AbstractBaseUser, reason: str = ""
) -> BulkResult:
    decided = skipped = 0
    with transaction.atomic():
        for suggestion_id in suggestion_ids:
            try:
                _take(
                    suggestion_id,
                    Suggestion.Status.REJECTED,
                    user,
                    change_reason=BULK_REVIEW,
                    reject_reason=reason.strip(),
                )
            except ReviewError:
                skipped += 1
                continue
            decided += 1
    return BulkResult(decided, skipped)


def next_pending(*, after: Suggestion) -> Suggestion | None:
    """The suggestion after `after` in queue order (newest, then highest score, first)."""
    pending = Suggestion.objects.filter(status=Suggestion.Status.PENDING).exclude(pk=after.pk)
    older = pending.filter(created_at__lt=after.created_at).order_by("-created_at", "-score")
    same_time = pending.filter(created_at=after.created_at, score__lt=after.score)
    return same_time.order_by("-score").first() or older.first() or pending.first()
