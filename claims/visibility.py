"""What of claims and claim links a user may see: one rule for the pages, the admin and every CSV.

Each page and export needs the *view* permission of what it lists (statements, claims,
suggestions). What a row says about *other* records needs theirs too:

- a statement's links (the claim, its text, the stance, who confirmed it) need *view claim
  link* and *view claim*: they say which claims the statement asserts or denies;
- a suggestion's claim (its id and text, and the stance suggested towards it) needs *view
  claim*: the suggestion itself is what *view suggestion* covers;
- a claim's statement counts per stance are read off its links: they need *view claim link*.

Columns a user may not see are left out of pages and files (a CSV's header too); filters on
them are not offered, and a filter on them that is sent anyway is ignored by the pages and
refused by the exports. `None` stands for the shell (`manage.py export` without
`--as-user`), which sees everything.
"""

from __future__ import annotations

from typing import Any

from claims.models import ExportRun

VIEW_CLAIM = "claims.view_claim"
VIEW_LINK = "claims.view_claimlink"
LINK_PERMISSIONS = (VIEW_LINK, VIEW_CLAIM)

STATEMENTS, CLAIMS, SUGGESTIONS = (
    ExportRun.Kind.STATEMENTS,
    ExportRun.Kind.CLAIMS,
    ExportRun.Kind.SUGGESTIONS,
)

# Per export kind (and the page it exports), the columns that need more than the kind's own
# view permission, with the permissions they need.
RESTRICTED_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    STATEMENTS: dict.fromkeys(
        ["claim_id", "claim", "stance", "link_status", "link_origin", "confirmed_at"],
        LINK_PERMISSIONS,
    ),
    CLAIMS: dict.fromkeys(
        ["statements", "asserts", "denies", "questions", "mentions"], (VIEW_LINK,)
    ),
    SUGGESTIONS: dict.fromkeys(["claim_id", "claim", "suggested_stance"], (VIEW_CLAIM,)),
}
# Likewise the filters (URL parameters) that select by claim or stance.
RESTRICTED_FILTERS: dict[str, dict[str, tuple[str, ...]]] = {
    STATEMENTS: dict.fromkeys(["claim", "stance"], LINK_PERMISSIONS),
    CLAIMS: {},
    SUGGESTIONS: dict.fromkeys(["claim", "suggested_stance"], (VIEW_CLAIM,)),
}


def may_view(user: Any, permissions: tuple[str, ...]) -> bool:
    return user is None or user.has_perms(permissions)


def may_view_links(user: Any) -> bool:
    """Whether `user` may see which claims a statement is linked to, and how."""
    return may_view(user, LINK_PERMISSIONS)


def may_view_claims(user: Any) -> bool:
    return may_view(user, (VIEW_CLAIM,))


def may_view_link_counts(user: Any) -> bool:
    """Whether `user` may see how many statements assert, deny… a claim."""
    return may_view(user, (VIEW_LINK,))


def visible_columns(*, user: Any, kind: str, columns: list[str]) -> list[str]:
    """`columns` (a kind's, in their order) less those `user` may not see."""
    restricted = RESTRICTED_COLUMNS[kind]
    return [c for c in columns if c not in restricted or may_view(user, restricted[c])]


def hidden_filters(*, user: Any, kind: str) -> list[str]:
    """The filters of a `kind` page or export that `user` may not use."""
    return [
        name
        for name, permissions in RESTRICTED_FILTERS[kind].items()
        if not may_view(user, permissions)
    ]
