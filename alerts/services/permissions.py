"""What a user's role must allow for each kind of watch and event (claims/visibility.py's rule).

A user is alerted only about what the pages would show them: checked when the watch is
made, and again for every event, since roles change.
"""

from __future__ import annotations

from typing import Any

from claims import visibility

VIEW_STATEMENT = "claims.view_statement"
VIEW_SPEAKER = "claims.view_speaker"
VIEW_SUGGESTION = "claims.view_suggestion"

# The claim page and the speaker page, as claims/views.py requires them.
CLAIM_PAGE = (visibility.VIEW_CLAIM, VIEW_STATEMENT, visibility.VIEW_LINK)
SPEAKER_PAGE = (VIEW_SPEAKER, VIEW_STATEMENT, *visibility.LINK_PERMISSIONS)
SEARCH_PAGE = (VIEW_STATEMENT,)

WATCH = {"claim": CLAIM_PAGE, "speaker": SPEAKER_PAGE, "search": SEARCH_PAGE}
# A suggestion (not yet a link) says which claim a statement may touch: the review queue's.
RESURFACED_SUGGESTED = (*CLAIM_PAGE, VIEW_SUGGESTION)
RESURFACED_LINKED = CLAIM_PAGE
# A reversal names the speaker, both statements and their confirmed stances.
REVERSAL = (*CLAIM_PAGE, VIEW_SPEAKER)


def may(user: Any, permissions: tuple[str, ...]) -> bool:
    return user.is_active and user.has_perms(permissions)
