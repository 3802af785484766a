"""The roles' Django model permissions, reads included (DRF's default lets any user read)."""

from __future__ import annotations

from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """GET needs *view*, POST *add*, PUT/PATCH *change*, DELETE *delete* on the view's model."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }


def requires(*perms: str) -> type[permissions.BasePermission]:
    """A permission class for an action that needs exactly `perms` (e.g. review)."""

    class Requires(permissions.BasePermission):
        message = f"You need the permission(s) {', '.join(perms)}."

        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.is_authenticated) and (
                request.user.has_perms(perms)
            )

    return Requires
