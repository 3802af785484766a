"""Signals sources sends for the apps above it, which it must not import."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a feed poll stored new articles, with `article_ids` (a list of primary keys),
# inside the transaction that stored them.
articles_stored = Signal()
