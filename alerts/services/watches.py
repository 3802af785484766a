"""Making, changing and removing watches; the signed unsubscribe token of each."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import QueryDict

from alerts.models import Delivery, Watch
from alerts.services.permissions import WATCH, may
from claims import visibility
from claims.filters import StatementFilter
from claims.models import Claim, ExportRun, Speaker
from sources.search import search_query

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
RESTRICTED_STATEMENT_FILTERS = visibility.RESTRICTED_FILTERS[ExportRun.Kind.STATEMENTS]
# Parameters of the search page that do not change what matches.
IGNORED_PARAMETERS = ("page", "order")


class WatchError(Exception):
    """A watch cannot be made or changed; the message says why, naming the input."""


# The filters that Watch's search columns hold exactly (see `search_columns`).
COLUMN_FILTERS = frozenset({"q", "language", "speaker", "outlet", "kind"})


def saved_search_query(query: str, *, user: Any, may_view_links: bool | None = None) -> str:
    """The query string as saved: without paging and ordering, and without the filters the
    user may not use (the search page ignores them too). `may_view_links`, when the caller
    knows it already, spares the permission lookup."""
    params = QueryDict(query.lstrip("?"), mutable=True)
    for name in (*IGNORED_PARAMETERS, "csrfmiddlewaretoken", "name", "delivery"):
        params.pop(name, None)
    if may_view_links is None:
        hidden = visibility.hidden_filters(user=user, kind=ExportRun.Kind.STATEMENTS)
    else:
        hidden = [] if may_view_links else list(RESTRICTED_STATEMENT_FILTERS)
    for name in hidden:
        params.pop(name, None)
    for name in [name for name, values in params.lists() if not any(values)]:
        params.pop(name)
    return params.urlencode()


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def search_columns(watch: Watch) -> None:
    """Copy a saved search's cheap filters into its columns (see Watch).

    When the search has no other filter and the search page's StatementFilter accepts it,
    the columns say exactly what the filter class would (the same equality tests, the same
    `tsquery` from `search_query`), and `search_exact` spares the filter class per match.
    """
    params = QueryDict(watch.query)
    filterset = StatementFilter(params)
    watch.search_exact = set(params) <= COLUMN_FILTERS and filterset.is_valid()
    watch.search_language = params.get("language", "")[:10]
    watch.search_speaker_id = _int_or_none(params.get("speaker"))
    watch.search_outlet_id = _int_or_none(params.get("outlet"))
    watch.search_kind = params.get("kind", "")[:12]
    watch.search_tsquery = search_query(params.get("q", "")).tsquery
    watch.search_links = bool(params.get("claim") or params.get("stance"))


def watch_create(
    *,
    user: Any,
    kind: str,
    target_id: int | None = None,
    name: str = "",
    query: str = "",
    delivery: str = Delivery.DIGEST,
) -> Watch:
    """Watch a claim or a speaker, or save a search under a name; an existing watch of the
    same target (or name) is returned unchanged."""
    if kind not in Watch.Kind.values:
        raise WatchError(f"unknown kind of watch {kind!r}")
    if delivery not in Delivery.values:
        raise WatchError(f"unknown delivery {delivery!r}")
    if not may(user, WATCH[kind]):
        raise WatchError(f"your role may not view what a {kind} watch would show")
    watch = Watch(user=user, kind=kind, delivery=delivery)
    if kind == Watch.Kind.CLAIM:
        if not Claim.objects.filter(pk=target_id).exists():
            raise WatchError(f"claim {target_id} does not exist")
        watch.claim_id = target_id
        existing = Watch.objects.filter(user=user, kind=kind, claim_id=target_id)
    elif kind == Watch.Kind.SPEAKER:
        if not Speaker.objects.filter(pk=target_id).exists():
            raise WatchError(f"speaker {target_id} does not exist")
        watch.speaker_id = target_id
        existing = Watch.objects.filter(user=user, kind=kind, speaker_id=target_id)
    else:
        name = name.strip()[:200]
        if not name:
            raise WatchError("a saved search needs a name")
        watch.name = name
        watch.query = saved_search_query(query, user=user)
        if not watch.query:
            raise WatchError("this search has no filters: it would match every new statement")
        search_columns(watch)
        existing = Watch.objects.filter(user=user, kind=kind, name=name)
    try:
        with transaction.atomic():
            watch.save()
    except IntegrityError:
        found = existing.first()
        if found is None:
            raise
        return found
    return watch


def watch_update(*, watch: Watch, delivery: str) -> Watch:
    if delivery not in Delivery.values:
        raise WatchError(f"unknown delivery {delivery!r}")
    watch.delivery = delivery
    watch.save(update_fields=["delivery"])
    return watch


def watch_delete(*, watch_id: int, user: Any) -> bool:
    """Remove one of `user`'s watches; whether there was one."""
    deleted, _ = Watch.objects.filter(pk=watch_id, user=user).delete()
    return deleted > 0


def unsubscribe_token(watch: Watch) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(watch.pk))


def watch_from_token(token: str) -> Watch | None:
    """The watch an unsubscribe link names; None for a forged link or a watch gone already."""
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Watch.objects.select_related("claim", "speaker").filter(pk=int(pk)).first()


def watched_ids(*, user: Any, kind: str) -> dict[int, int]:
    """{target id: watch id} of `user`'s claim or speaker watches (for the watch buttons)."""
    field = "claim_id" if kind == Watch.Kind.CLAIM else "speaker_id"
    rows = Watch.objects.filter(user=user, kind=kind).values_list(field, "pk")
    return dict(rows)
