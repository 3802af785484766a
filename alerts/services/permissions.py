"""What a user's role must allow for each kind of watch and event (claims/visibility.py's rule).

A user is alerted only about what the pages would show them: checked when the watch is
made, and again for every event, since roles change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Q

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


def permitted(user_ids: Iterable[int], permissions: tuple[str, ...]) -> set[int]:
    """Which of `user_ids` are active and hold every one of `permissions` (through their
    groups, their own permissions, or as superusers), in two small queries.

    The same answer as `may` for the model backend, which is the only one granting
    permissions here (django-axes' backend grants none), for a batch of users at once:
    `has_perms` would cost two queries per user.
    """
    user_ids = list(set(user_ids))
    if not user_ids:
        return set()
    wanted = Q()
    for permission in permissions:
        app_label, codename = permission.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permission_ids = list(Permission.objects.filter(wanted).values_list("pk", flat=True))
    User = get_user_model()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT u.id FROM {User._meta.db_table} u
            WHERE u.id = ANY(%(users)s) AND u.is_active AND (u.is_superuser OR (
                SELECT count(DISTINCT granted.permission_id) FROM (
                    SELECT up.permission_id FROM {User.user_permissions.through._meta.db_table} up
                    WHERE up.user_id = u.id AND up.permission_id = ANY(%(permissions)s)
                    UNION ALL
                    SELECT gp.permission_id
                    FROM {User.groups.through._meta.db_table} ug
                    JOIN {Group.permissions.through._meta.db_table} gp
                      ON gp.group_id = ug.group_id
                    WHERE ug.user_id = u.id AND gp.permission_id = ANY(%(permissions)s)
                ) granted
            ) = %(count)s)
            """,
            {"users": user_ids, "permissions": permission_ids, "count": len(permissions)},
        )
        return {row[0] for row in cursor.fetchall()}
