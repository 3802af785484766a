"""claims' signals → alerts' events (claims must not import alerts; see claims/signals.py)."""

from __future__ import annotations

from typing import Any

from alerts.services import events
from claims import signals


def _statements_stored(sender: Any, *, statement_ids: list[int], **kwargs: Any) -> None:
    events.statements_stored(statement_ids=statement_ids)


def _suggestions_stored(sender: Any, *, suggestions: list, **kwargs: Any) -> None:
    events.suggestions_stored(suggestions=suggestions)


def _links_confirmed(sender: Any, *, links: list, **kwargs: Any) -> None:
    events.links_confirmed(links=links)


def connect() -> None:
    signals.statements_stored.connect(_statements_stored, dispatch_uid="alerts.statements")
    signals.suggestions_stored.connect(_suggestions_stored, dispatch_uid="alerts.suggestions")
    signals.links_confirmed.connect(_links_confirmed, dispatch_uid="alerts.links")
