"""The batch permission check agrees with Django's has_perms for every kind of user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from alerts.services.permissions import CLAIM_PAGE, REVERSAL, SEARCH_PAGE, may, permitted

pytestmark = pytest.mark.django_db


def test_it_agrees_with_has_perms_for_roles_own_permissions_superusers_and_inactive(
    person,
) -> None:
    users = [
        person("analyst"),
        person("viewer", role="Viewer"),
        person("nobody", role=None),
        User.objects.create_superuser("root", "", "x"),
    ]
    own = person("own", role=None)
    own.user_permissions.add(Permission.objects.get(codename="view_statement"))
    inactive = person("inactive")
    inactive.is_active = False
    inactive.save()
    users += [User.objects.get(pk=own.pk), inactive]
    for permissions in (SEARCH_PAGE, CLAIM_PAGE, REVERSAL):
        expected = {u.pk for u in users if may(User.objects.get(pk=u.pk), permissions)}
        assert permitted([u.pk for u in users], permissions) == expected
    assert permitted([own.pk], SEARCH_PAGE) == {own.pk}
    assert permitted([own.pk], CLAIM_PAGE) == set()
