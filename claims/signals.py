"""Signals claims sends for the apps above it (alerts, the API's webhooks), which it must not
import.

Each is sent inside the transaction that stored the rows, so a receiver's own rows (an
alert's event) commit or roll back with them: computed once, when the data lands.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `suggestion`, `link` (the ClaimLink) and `user` when a suggestion is accepted.
suggestion_accepted = Signal()
# New statements were stored (extraction, re-extraction), with `statement_ids`.
statements_stored = Signal()
# The matcher stored suggestions, with `suggestions` (saved Suggestion rows).
suggestions_stored = Signal()
# Links were confirmed or their stance changed (review, auto-confirmation, by hand), with
# `links` (saved ClaimLink rows).
links_confirmed = Signal()
