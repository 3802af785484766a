"""Links an analyst makes or edits by hand (accepted suggestions are linked in review)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import ClaimLink
from claims.signals import links_confirmed


@transaction.atomic
def claim_link_save(*, link: ClaimLink, user: AbstractBaseUser) -> ClaimLink:
    """Insert or update a link; a new one is the analyst's: confirmed by `user`, origin manual.

    An empty confirmer means "confirmed by the system", so a link made by hand must name its
    analyst; an existing link keeps who confirmed it and how it came about.
    """
    if link._state.adding:
        link.confirmed_by = user
        link.origin = ClaimLink.Origin.MANUAL
    link._history_user = user  # outside a request too (shell, tests), history knows who
    link.save()
    links_confirmed.send(sender=ClaimLink, links=[link])
    return link
