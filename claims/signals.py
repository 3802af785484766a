"""Events other apps may listen to (the API's webhooks), sent by the services inside the
transaction that makes them true: a receiver's writes commit or roll back with them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `suggestion`, `link` (the ClaimLink) and `user` when a suggestion is accepted.
suggestion_accepted = Signal()
